import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allText, type ScenarioDriver, type Shown } from './driver.ts';

const codeIn = (text: string, pattern: RegExp): string => {
  const m = pattern.exec(text);
  if (!m) throw new Error(`no code in: ${text}`);
  return m[1];
};

/**
 * The end-to-end scenarios every platform must pass. Each platform's test file calls this with a
 * factory for its driver; assertions read what the platform received.
 */
export function scenarioSuite(platform: string, makeDriver: () => Promise<ScenarioDriver>): void {
  describe(`scenarios on ${platform}`, () => {
    let d: ScenarioDriver;
    beforeAll(async () => {
      d = await makeDriver();
    }, 60_000);
    afterAll(async () => d?.close());

    it('help lists the commands in the user’s language', async () => {
      expect(allText(await d.command('officer', 'help'))).toMatch(/who represents/);
      await d.command('carys', 'language cy');
      expect(allText(await d.command('carys', 'help'))).toMatch(/pwy sy’n cynrychioli/);
    });

    it('an officer sets up a forum and a member joins with an invite code', async () => {
      expect(allText(await d.command('officer', 'forum create Ceredigion Third Sector Forum cvc="CAVO"'))).toMatch(/created/);
      await d.command('officer', 'organisation add Aberaeron Youth Club');
      await d.command('officer', 'partnership add Community Safety Partnership');
      await d.command('officer', 'seat add partnership="Community Safety Partnership" Youth seat');
      const code = codeIn(allText(await d.command('officer', 'invite create organisation="Aberaeron Youth Club" uses=5')), /code=([0-9A-F]{10})/);
      expect(allText(await d.command('dafydd', `join code=${code}`))).toMatch(/Welcome to the forum/);
      await d.command('officer', 'seat fill partnership="Community Safety Partnership" seat="Youth seat" person=dafydd');
      expect(allText(await d.command('dafydd', 'who represents us on Community Safety Partnership?'))).toMatch(/Youth seat/);
    });

    it('a join request is approved with a button, and the member hears of it privately', async () => {
      expect(allText(await d.command('eirlys', 'join organisation="Aberaeron Youth Club"'))).toMatch(/request to join/);
      const list = await d.command('officer', 'requests');
      const withButton = list.find((s) => s.buttons.some((b) => /approve/i.test(b)));
      expect(withButton, allText(list)).toBeDefined();
      const label = withButton!.buttons.find((b) => /approve/i.test(b))!;
      expect(allText(await d.press('officer', withButton!, label))).toMatch(/Approved/);
      await d.settle();
      expect(allText(await d.inbox('eirlys'))).toMatch(/was approved/);
    });

    it('a second account linked with a one-time code acts as the same member', async () => {
      const code = codeIn(allText(await d.command('dafydd', 'link')), /\b([A-Z2-9]{8})\b/);
      expect(allText(await d.command('dafydd-2', `link with ${code}`))).toMatch(/linked/i);
      expect(allText(await d.command('dafydd-2', 'what seats does dafydd hold?'))).toMatch(/Youth seat/);
      expect(allText(await d.command('dafydd-2', 'messages on'))).not.toMatch(/Only active members/);
    });

    it('bad arguments get the problem and an example, and nothing is stored', async () => {
      const before = await d.db.seat.count();
      const answer = allText(await d.command('officer', 'seat add partnership="Community Safety Partnership" X method=lottery'));
      expect(answer).toMatch(/method must be one of/);
      expect(answer).toMatch(/Example/);
      expect(await d.db.seat.count()).toBe(before);
    });
  });
}

export type { Shown };
