import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electionJobs } from '../../src/features/elections/elections.jobs.ts';
import { discordWorld, type DiscordWorld } from './discord-driver.ts';
import { allText } from './driver.ts';

/**
 * An election voted on Discord with the real elections feature: the ballot arrives as one
 * select per rank, is ranked and cast through the stand-in, and the vote is recorded.
 */
const DAY = 24 * 3600_000;
const T = '"Board 2027"';

describe('an election on Discord', () => {
  let w: DiscordWorld;
  beforeAll(async () => {
    w = await discordWorld();
  }, 60_000);
  afterAll(async () => w?.driver.close());

  it('members vote with a ranked ballot of rank selects, and the vote is cast', async () => {
    const d = w.driver;
    await d.command('officer', 'forum create Powys Forum cvc="PAVO" franchise=individual');
    await d.command('officer', 'partnership add Health Board');
    await d.command('officer', 'seat add partnership="Health Board" Seat A');
    const code = /code=([0-9A-F]{10})/.exec(allText(await d.command('officer', 'invite create uses=9')))![1];
    for (const v of ['voter1', 'voter2', 'voter3']) expect(allText(await d.command(v, `join code=${code}`))).toMatch(/Welcome/);
    expect(allText(await d.command('officer', 'election open Board 2027 partnership="Health Board" seconder=no nominations=7 gap=1 voting=7'))).toMatch(/set up/);
    for (const v of ['voter1', 'voter3']) expect(allText(await d.command(v, `nominate ${T}`))).toMatch(/nominated/);
    d.clock.now = new Date(d.clock.now.getTime() + 8 * DAY + 60_000);
    for (const job of electionJobs) await w.app.scheduler.runDue(job, d.clock.now);
    await d.settle();

    const shown = await d.command('voter2', `vote ${T}`);
    const ballot = shown.find((s) => s.candidates.length > 0);
    expect(ballot, allText(shown)).toBeDefined();
    expect(ballot!.candidates).toEqual(expect.arrayContaining(['voter1', 'voter3']));
    expect(allText(await d.rank('voter2', ballot!, ['voter3', 'voter1']))).toMatch(/Your vote in “Board 2027” is cast/);
    expect(await d.db.electionBallot.count()).toBe(1);
  });
});
