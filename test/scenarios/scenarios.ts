import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allText, type ScenarioDriver, type Shown } from './driver.ts';
import type { Block } from '../../src/core/messages.ts';
import { londonDay } from '../../src/core/london-time.ts';

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

    it('an election: opened, nominations, private ranked ballots, linked accounts one voter, declared, seat filled, receipt checked', async () => {
      await d.command('officer', 'partnership add Health Board');
      await d.command('officer', 'seat add partnership="Health Board" Carers seat');
      await d.command('officer', 'organisation add Cardigan Carers');
      const youth = codeIn(allText(await d.command('officer', 'invite create organisation="Aberaeron Youth Club" uses=5')), /code=([0-9A-F]{10})/);
      const carers = codeIn(allText(await d.command('officer', 'invite create organisation="Cardigan Carers" uses=5')), /code=([0-9A-F]{10})/);
      // one candidate per organisation: ffion and gareth stand for different ones
      for (const [u, code] of [['ffion', youth], ['gareth', carers], ['heledd', carers]]) expect(allText(await d.command(u, `join code=${code}`))).toMatch(/Welcome/);
      const T = '"Carers 2027"';
      expect(allText(await d.command('officer', 'election open Carers 2027 partnership="Health Board" nominations=7 gap=0 seconder=no franchise=individual'))).toMatch(/Election “Carers 2027” set up/);
      expect(allText(await d.command('ffion', `nominate ${T} statement="I run the carers’ network."`))).toMatch(/nominated/);
      expect(allText(await d.command('gareth', `nominate ${T}`))).toMatch(/nominated/);
      expect(allText(await d.command('officer', `election close ${T}`))).toMatch(/nominations closed/);
      await d.advance(7 * 24 * 3600_000 + 60_000); // voting opens on schedule

      const receipts = new Map<string, string>();
      const vote = async (user: string, ranking: string[]) => {
        const shown = [...(await d.command(user, `vote ${T}`)), ...(await d.inbox(user))];
        const ballot = shown.find((s) => s.candidates.length > 0);
        expect(ballot, `${user} got no ballot: ${allText(shown)}`).toBeDefined();
        expect(ballot!.candidates).toEqual(expect.arrayContaining(['ffion', 'gareth']));
        const cast = allText([...(await d.rank(user, ballot!, ranking)), ...(await d.inbox(user))]);
        expect(cast).toMatch(/is cast/);
        receipts.set(user, codeIn(cast, /([A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5})/));
      };
      await vote('heledd', ['ffion', 'gareth']);
      await vote('eirlys', ['gareth']);
      await vote('dafydd-2', ['ffion']);
      // dafydd linked dafydd-2 earlier: one person, one vote
      expect(allText([...(await d.command('dafydd', `vote ${T}`)), ...(await d.inbox('dafydd'))])).toMatch(/already voted/);

      expect(allText(await d.command('officer', `election close ${T}`))).toMatch(/declared/);
      expect(allText(await d.command('gareth', 'who represents us on Health Board?'))).toMatch(/Carers seat.*ffion/s);
      expect(allText(await d.command('heledd', `receipt check ${T} ${receipts.get('heledd')}`))).toMatch(/counted as cast/);

      // the round-by-round count as this platform shows a table, never markdown fences
      const result = await d.command('gareth', `election result ${T}`);
      expect(nativeTables(d.platform, result), allText(result)).toEqual([expect.arrayContaining([expect.stringMatching(/^ffion\b/), expect.stringMatching(/^gareth\b/)])]);
      if (d.platform !== 'discord') expect(JSON.stringify(result.map((r) => r.raw))).not.toContain('```');
    });

    it('a returning officer runs an election in one sitting with election advance, each step asked first', async () => {
      await d.command('officer', 'partnership add Transport Forum');
      await d.command('officer', 'seat add partnership="Transport Forum" Community transport seat');
      const T = '"Transport 2027"';
      expect(allText(await d.command('officer', 'election open Transport 2027 partnership="Transport Forum" nominations=14 voting=7 seconder=no franchise=individual'))).toMatch(/nominations open/);
      expect(allText(await d.command('ffion', `nominate ${T}`))).toMatch(/nominated/);
      expect(allText(await d.command('gareth', `nominate ${T}`))).toMatch(/nominated/);
      // a member may not move it on
      expect(allText(await d.command('heledd', `election advance ${T}`))).not.toMatch(/Open voting now/);

      const ask = await d.command('officer', `election advance ${T}`);
      const openVoting = ask.find((s) => s.buttons.includes('Open voting now'));
      expect(openVoting, allText(ask)).toBeDefined();
      expect(allText(ask)).toMatch(/Candidates standing: 2/);
      expect(allText(await d.press('officer', openVoting!, 'Open voting now'))).toMatch(/Now: voting open/);
      // the same button again changes nothing
      expect(allText(await d.press('officer', openVoting!, 'Open voting now'))).toMatch(/moved on since you were asked/);

      for (const [user, ranking] of [['heledd', ['gareth', 'ffion']], ['eirlys', ['gareth']], ['ffion', ['ffion']]] as const) {
        const shown = [...(await d.command(user, `vote ${T}`)), ...(await d.inbox(user))];
        const ballot = shown.find((s) => s.candidates.length > 0);
        expect(ballot, `${user} got no ballot: ${allText(shown)}`).toBeDefined();
        expect(allText([...(await d.rank(user, ballot!, [...ranking])), ...(await d.inbox(user))])).toMatch(/is cast/);
      }

      const close = await d.command('officer', `election advance ${T} `);
      const count = close.find((s) => s.buttons.includes('Close voting and count now'));
      expect(count, allText(close)).toBeDefined();
      expect(allText(await d.press('officer', count!, 'Close voting and count now'))).toMatch(/Now: result declared/);
      expect(allText(await d.command('heledd', 'who represents us on Transport Forum?'))).toMatch(/Community transport seat.*gareth/s);
      const log = await d.db.electionLog.findMany({ where: { election: { title: 'Transport 2027' } }, orderBy: { at: 'asc' } });
      expect(log.map((l) => `${l.fromPhase}>${l.toPhase}`)).toEqual(['NOMINATIONS>VOTING', 'VOTING>COUNTING']);
    });

    it('a representative records a meeting that already happened and files its report-back straight away', async () => {
      // dafydd has held the Youth seat since the second scenario; the clock has moved on a week since
      const day = (daysAgo: number) => new Date(d.clock.now.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10);
      expect(allText(await d.command('dafydd', `meeting add Community Safety Partnership date=${day(400)} start=10:00`))).toMatch(/more than a year ago/);
      expect(allText(await d.command('dafydd', 'reportback file Community Safety Partnership'))).toMatch(/no meeting on record.*meeting add Community Safety Partnership/s);
      const added = await d.command('dafydd', `meeting add Community Safety Partnership date=${day(2)} start=10:00 end=12:00`);
      const withButton = added.find((s) => s.buttons.includes('File the report-back'));
      expect(withButton, allText(added)).toBeDefined();
      expect(allText(added)).toMatch(/recorded\. It has happened/);
      const opened = await d.press('dafydd', withButton!, 'File the report-back');
      const form = opened.find((s) => s.formFields.includes('summary'));
      expect(form, allText(opened)).toBeDefined();
      expect(allText(await d.submit('dafydd', form!, { summary: 'The partnership agreed the youth diversion plan for the summer.' }))).toMatch(/report-back on Community Safety Partnership is published/);
      // named by partnership, the form is for that meeting, already filed now
      expect(allText(await d.command('dafydd', 'reportback file Community Safety Partnership'))).toMatch(/already been filed/);
    });

    it('an anonymous compact breach notice: filed privately, followed with the receipt, and nothing stored names the filer', async () => {
      const filer = 'zebedee-q7';
      // only members may file anonymously (checked, then not kept with the notice)
      expect(allText(await d.command(filer, 'breach file anonymous'))).toMatch(/Only a member of this forum/);
      const invite = codeIn(allText(await d.command('officer', 'invite create organisation="Cardigan Carers" uses=1')), /code=([0-9A-F]{10})/);
      expect(allText(await d.command(filer, `join code=${invite}`))).toMatch(/Welcome/);
      const shown = [...(await d.command(filer, 'breach file anonymous')), ...(await d.inbox(filer))];
      const form = shown.find((s) => s.formFields.length > 0);
      expect(form, allText(shown)).toBeDefined();
      const party = await d.db.compactParty.findFirstOrThrow({ where: { name: 'County council' } });
      const code = await d.db.compactCode.findFirstOrThrow({ where: { name: 'Consultation and Policy Appraisal' } });
      const values = {
        party: party.id,
        code: code.id,
        aspect: 'principle',
        whatHappened: 'The day centres consultation lasted three days.',
        happenedOn: '2026-11-20',
        expected: '84 days',
        actual: '3 days',
        outcomeWanted: 'A twelve-week consultation',
      };
      const done = allText([...(await d.submit(filer, form!, values)), ...(await d.inbox(filer))]);
      const receipt = codeIn(done, /receipt code: ([0-9A-Z-]+)/);
      // held until the mixing job's next run (within the minute) files and numbers it
      expect(allText(await d.command('dafydd-2', `breach status ${receipt}`))).toMatch(/waiting to be filed/);
      await d.advance(60_000);
      expect(allText(await d.command('dafydd-2', `breach status ${receipt}`))).toMatch(/Notice #\d+: filed/);
      await d.settle();

      const account = await d.db.account.findFirstOrThrow({ where: { displayName: filer } });
      const needles = [account.platformUserId, filer, account.id, account.personId].map((n) => n.toLowerCase());
      const notice = await d.db.breachNotice.findFirstOrThrow({ where: { mode: 'ANONYMOUS' } });
      // the notice, its case rows, broadcasts, deliveries, saved form state and job runs hold nothing of the filer
      const tables = ['BreachNotice', 'BreachStep', 'BreachMessage', 'Broadcast', 'Delivery', 'ConversationState', 'JobRun'];
      for (const table of tables) {
        const rows = await d.db.$queryRawUnsafe<{ j: unknown }[]>(`SELECT row_to_json(t) AS j FROM "${table}" t`);
        for (const { j } of rows) for (const n of needles) expect(JSON.stringify(j).toLowerCase(), `${table} holds ${n}`).not.toContain(n);
      }
      expect(notice.organisationId).toBeNull();
      // and the filer's own rows name no notice
      const own = await d.db.$queryRawUnsafe<{ j: unknown }[]>(
        `SELECT row_to_json(t) AS j FROM "Account" t WHERE "personId" = $1 UNION ALL SELECT row_to_json(p) FROM "Person" p WHERE id = $1`,
        account.personId,
      );
      for (const { j } of own) expect(JSON.stringify(j)).not.toContain(notice.id);
    });

    it('a newcomer run: forum, election, nominations without quotes, ballots, result; UK dates; Welsh with a straight apostrophe; never “I did not understand”', async () => {
      const seen: Shown[] = [];
      const say = async (user: string, text: string) => {
        const shown = [...(await d.command(user, text)), ...(await d.inbox(user))];
        seen.push(...shown);
        return allText(shown);
      };
      // today and tomorrow as people in the UK write them
      const uk = (day: string) => day.split('-').reverse().join('/');
      const today = uk(londonDay(d.clock.now));

      expect(await say('olwen', 'forum create Radnor Newcomers Forum cvc=PAVO')).toMatch(/created/);
      expect(await say('olwen', 'partnership add Radnor Health and Wellbeing Partnership')).toMatch(/Added/);
      expect(await say('olwen', 'seat add partnership=Radnor Health and Wellbeing Partnership Wellbeing seat')).toMatch(/Added the seat “Wellbeing seat”/);
      const code = codeIn(await say('olwen', 'invite create uses=5'), /code=([0-9A-F]{10})/);
      for (const user of ['iolo', 'mererid', 'sioned']) expect(await say(user, `join code=${code}`)).toMatch(/Welcome/);
      await say('sioned', 'language cy');

      expect(await say('olwen', `election open Wellbeing 2027 partnership=Radnor Health and Wellbeing Partnership start=${today} nominations=7 gap=0 voting=7 seconder=no franchise=individual`)).toMatch(
        /Election “Wellbeing 2027” set up for Radnor Health and Wellbeing Partnership.*Now: nominations open/s,
      );
      expect(await say('iolo', 'nominate Wellbeing 2027 statement=I run the Knighton lunch club')).toMatch(/You are nominated in “Wellbeing 2027”/);
      expect(await say('sioned', 'enwebu Wellbeing 2027')).toMatch(/Wellbeing 2027/);
      expect(await say('mererid', 'election show wellbeing 2027')).toMatch(/iolo[\s\S]*I run the Knighton lunch club/);
      expect(await say('olwen', 'election close Wellbeing 2027')).toMatch(/nominations closed/);
      await d.advance(7 * 24 * 3600_000 + 60_000); // voting opens on schedule

      for (const [user, ranking] of [['mererid', ['iolo', 'sioned']], ['sioned', ['sioned']], ['iolo', ['iolo']]] as const) {
        const shown = [...(await d.command(user, 'vote Wellbeing 2027')), ...(await d.inbox(user))];
        seen.push(...shown);
        const ballot = shown.find((s) => s.candidates.length > 0);
        expect(ballot, `${user} got no ballot: ${allText(shown)}`).toBeDefined();
        const cast = [...(await d.rank(user, ballot!, [...ranking])), ...(await d.inbox(user))];
        seen.push(...cast);
        expect(allText(cast)).toMatch(/is cast|wedi’i bwrw|wedi'i bwrw|bwrw/);
      }
      expect(await say('olwen', 'election close Wellbeing 2027')).toMatch(/declared/);
      expect(await say('mererid', 'election result Wellbeing 2027')).toMatch(/iolo/);
      expect(await say('sioned', "pwy sy'n cynrychioli ni ar Radnor Health and Wellbeing Partnership?")).toMatch(/Wellbeing seat[\s\S]*iolo/);
      expect(await say('mererid', 'who represents radnor health')).toMatch(/Wellbeing seat[\s\S]*iolo/);

      const everything = allText(seen);
      expect(everything).not.toMatch(/did not understand|oeddwn yn deall/i);
      expect(everything).not.toMatch(/needs fixing|angen cywiro/i);
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

/**
 * The tables in what a platform showed, each as its lines of cells: a Block Kit table on Slack, an
 * Adaptive Card Table on Teams, a table block for the web page, and a monospace block on Discord.
 */
function nativeTables(platform: ScenarioDriver['platform'], shown: Shown[]): string[][] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const raws = shown.map((s) => s.raw as any);
  switch (platform) {
    case 'web':
      return raws.flatMap((m) => (m.blocks ?? []).filter((b: Block) => b.type === 'table').map((b: Extract<Block, { type: 'table' }>) => b.table.rows.map((r) => r.join(' '))));
    case 'slack':
      return raws.flatMap((m) => (m.blocks ?? []).filter((b: { type: string }) => b.type === 'table').map((b: { rows: { text: string }[][] }) => b.rows.slice(1).map((r) => r.map((c) => c.text).join(' '))));
    case 'teams':
      return raws.flatMap((m) => (m.card?.body ?? []).filter((e: { type: string }) => e.type === 'Table').map((e: { rows: { cells: { items: { text: string }[] }[] }[] }) => e.rows.slice(1).map((r) => r.cells.map((c) => c.items[0].text).join(' '))));
    case 'discord':
      return raws.flatMap((m) => (m.body.embeds ?? []).flatMap((e: { description?: string }) => [...(e.description ?? '').matchAll(/```\n([\s\S]*?)\n```/g)].map((x) => x[1].split('\n').slice(2))));
  }
}
