/**
 * 1,000 members voting within the same minute, through the core, on two bot instances sharing
 * one database (two PrismaClients on PostgreSQL when DATABASE_URL is set; two apps on the one
 * embedded database otherwise): every valid ballot counted once, none lost, none doubled; the
 * roll count equals the ballot count; the count after close sees them all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedBallots } from '../../../test/elections/world.ts';
import { testDatabase } from '../../../test/support/database.ts';
import { createApp, type App } from '../../app.ts';
import { silentLogger } from '../../core/logger.ts';
import { openDatabase, type Database } from '../../db/client.ts';
import { countBallots } from './counting.service.ts';
import { advanceElection } from './elections.jobs.ts';
import { seedVotingElection } from './load.ts';

const VOTERS = 1000;
const IN_FLIGHT = 32;
let primary: Awaited<ReturnType<typeof testDatabase>>;
let second: Database | null = null;
let apps: App[];
let clock: { now: Date };

beforeAll(async () => {
  primary = await testDatabase();
  clock = { now: new Date('2026-11-23T09:00:00Z') };
  const now = () => clock.now;
  if (primary.url) second = await openDatabase({ url: primary.url, migrate: false });
  apps = [createApp({ db: primary.prisma, now, log: silentLogger }), createApp({ db: second?.prisma ?? primary.prisma, now, log: silentLogger })];
}, 300_000);
afterAll(async () => {
  for (const a of apps ?? []) await a.services.broadcasts.stop();
  await second?.close();
  await primary?.close();
});

describe(`${VOTERS} members vote within one minute on two instances`, () => {
  it('every valid ballot is stored once; duplicates and late repeats are refused', async () => {
    const seeded = await seedVotingElection(apps[0].services, primary.prisma, VOTERS, clock.now);
    clock.now = seeded.votingAt;
    const { election, people, candidateIds } = seeded;
    const expectedFirst = new Map<string, number>();
    const event = (i: number) => {
      // a varied, valid ranking per voter
      const k = candidateIds.length;
      const ranking = [candidateIds[i % k], candidateIds[(i * 3 + 1) % k], candidateIds[(i * 5 + 2) % k]].filter((id, j, all) => all.indexOf(id) === j);
      return {
        ranking,
        e: { kind: 'action' as const, command: 'ballot cast', args: { election: election.id, ranking: ranking.join(',') }, user: { platform: 'web', id: `load-${i + 1}`, displayName: people[i].name }, conversation: `web:load-${i + 1}`, isDirect: true },
      };
    };
    // all at once, as a burst of presses would arrive; each instance serves up to IN_FLIGHT at a
    // time (as a web server's connection limit would), the rest wait their turn
    const queues: (() => Promise<string>)[][] = [[], []];
    for (let i = 0; i < VOTERS; i++) {
      const { e, ranking } = event(i);
      expectedFirst.set(ranking[0], (expectedFirst.get(ranking[0]) ?? 0) + 1);
      queues[i % 2].push(() => apps[i % 2].bot.handle(e).then((r) => r.map((x) => x.message.text).join('\n')));
      // every tenth voter presses the button twice, once on each instance
      if (i % 10 === 0) queues[(i + 1) % 2].push(() => apps[(i + 1) % 2].bot.handle(e).then((r) => r.map((x) => x.message.text).join('\n')));
    }
    const answers: string[] = [];
    await Promise.all(
      queues.flatMap((queue) =>
        Array.from({ length: IN_FLIGHT }, async () => {
          for (let job = queue.shift(); job; job = queue.shift()) answers.push(await job());
        }),
      ),
    );
    const cast = answers.filter((a) => /is cast/.test(a)).length;
    const refused = answers.filter((a) => /already voted/.test(a)).length;
    const other = answers.filter((a) => !/is cast|already voted/.test(a));
    expect(other).toEqual([]);
    expect(cast).toBe(VOTERS);
    expect(refused).toBe(VOTERS / 10);
    const db = primary.prisma;
    expect(await db.electionRoll.count({ where: { electionId: election.id } })).toBe(VOTERS);
    expect(await storedBallots(db, election.id)).toBe(VOTERS);
    // close on both instances at once: one count, every ballot in it
    clock.now = new Date(election.votingCloseAt.getTime() + 1000);
    await Promise.all(apps.map((a) => advanceElection(a.services, election, clock.now)));
    const declared = await db.election.findUniqueOrThrow({ where: { id: election.id } });
    expect(declared.phase).toBe('DECLARED');
    const result = declared.result as { ballots: number; electorate: number; count: { rounds: { votes: Record<string, string> }[] } };
    expect(result.ballots).toBe(VOTERS);
    expect(result.electorate).toBe(VOTERS + 1);
    const names = new Map((await db.candidate.findMany({ where: { electionId: election.id } })).map((c) => [c.id, c.name]));
    for (const [id, n] of expectedFirst) expect(Number(result.count.rounds[0].votes[names.get(id)!])).toBe(n);
    expect(await db.seatHolding.count({ where: { filledBy: 'ELECTED' } })).toBeGreaterThan(0);
    // a count re-run (a restart during counting) gives the same result
    const again = await countBallots(db, declared);
    expect(again.count).toEqual(result.count);
  }, 600_000);
});
