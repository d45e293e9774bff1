/**
 * bench:elections
 * (a) `node bin/forumbot.js count FILE --method scottish-stv` as a whole process on a generated
 *     BLT of 200,000 ballots, 20 candidates, 5 seats: wall time and peak memory (target under
 *     0.3 s wall), beside the floor of starting Node and exiting.
 * (b) 5,000 ballots cast concurrently through the core (bot.handle, "ballot cast" as a pressed
 *     ballot sends it), against the direct insert of the same rows (roll + held ballot, the same
 *     one statement) as the baseline, sent two ways: through Prisma ($executeRawUnsafe, as the
 *     cast was sent before), and straight to the driver (directQuery, as the cast is sent now):
 *     ballots per second (target at least half the direct rate). On the embedded database and,
 *     with DATABASE_URL set, on PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
// @ts-expect-error: a plain ES module without types
import { benchCount } from './elections-count.mjs';
import { createApp } from '../../src/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { directQuery, openDatabase } from '../../src/db/client.ts';
import { seedVotingElection } from '../../src/features/elections/load.ts';
import { testDatabase } from '../../test/support/database.ts';
import { report, round, type Row } from './stats.ts';

const BALLOTS = 5000;
const IN_FLIGHT = 64;
const rows: Row[] = [];

function nodeFloorMs(runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    samples.push(performance.now() - t);
  }
  return samples.sort((a, b) => a - b)[runs >> 1];
}

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(Array.from({ length: n }, async () => {
    for (let x = queue.shift(); x !== undefined; x = queue.shift()) await fn(x);
  }));
}

async function castOn(kind: 'pglite' | 'postgres') {
  const database = kind === 'pglite' ? await openDatabase({ dataDir: 'memory://' }) : await testDatabase();
  const db = database.prisma;
  const clock = { now: new Date('2026-11-23T09:00:00Z') };
  const app = createApp({ db, log: silentLogger, now: () => clock.now });
  const seeded = await seedVotingElection(app.services, db, BALLOTS, clock.now);
  clock.now = seeded.votingAt;
  const { election, candidateIds: ids } = seeded;
  const rankingOf = (i: number) => [ids[i % ids.length], ids[(i * 3 + 1) % ids.length], ids[(i * 7 + 2) % ids.length]].filter((id, j, all) => all.indexOf(id) === j);
  const indices = Array.from({ length: BALLOTS }, (_, i) => i);

  // baselines: the same rows, inserted directly with the same single statement, sent two ways
  const insert = `WITH roll AS (INSERT INTO "ElectionRoll" ("electionId", "voterKey") VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING "electionId")
    INSERT INTO "BallotBox" (id, "electionId", slot, ranking) SELECT $3, "electionId", $4, $5::text[] FROM roll`;
  const params = (i: number) => [election.id, `direct:${i}`, crypto.randomUUID(), crypto.randomBytes(32).toString('hex'), `{${rankingOf(i).join(',')}}`];
  const viaPrisma = (i: number) => db.$executeRawUnsafe(insert, ...params(i));
  const viaDriver = (i: number) => directQuery(db)(insert, params(i));
  const clear = async () => {
    await db.$executeRaw`TRUNCATE "BallotBox"`;
    await db.$executeRaw`DELETE FROM "ElectionRoll" WHERE "electionId" = ${election.id}`;
  };
  const rate = async (fn: (i: number) => Promise<unknown>) => {
    await pool(indices.slice(0, 200), IN_FLIGHT, async (i) => void (await fn(i))); // warm up
    await clear();
    const t0 = performance.now();
    await pool(indices, IN_FLIGHT, async (i) => void (await fn(i)));
    const r = BALLOTS / ((performance.now() - t0) / 1000);
    await clear();
    return r;
  };
  const prismaRate = await rate(viaPrisma);
  const driverRate = await rate(viaDriver);

  // through the core, as a ballot submitted from a chat platform arrives
  const event = (i: number) => ({
    kind: 'action' as const,
    command: 'ballot cast',
    args: { election: election.id, ranking: rankingOf(i).join(',') },
    user: { platform: 'web', id: `load-${i + 1}`, displayName: `Member ${i + 1}` },
    conversation: `web:load-${i + 1}`,
    isDirect: true,
  });
  let failed = 0;
  const t = performance.now();
  await pool(indices, IN_FLIGHT, async (i) => {
    const replies = await app.bot.handle(event(i));
    if (!/is cast/.test(replies[0]?.message.text ?? '')) failed++;
  });
  const coreRate = BALLOTS / ((performance.now() - t) / 1000);
  const roll = await db.electionRoll.count({ where: { electionId: election.id } });
  const ballots = await db.ballotBox.count({ where: { electionId: election.id } }); // held: no move ran
  if (failed || roll !== BALLOTS || ballots !== BALLOTS) throw new Error(`cast check failed: ${failed} refused, roll ${roll}, ballots ${ballots}`);
  const cases: Row[] = [
    {
      case: `cast ${BALLOTS} ballots concurrently through the core (${IN_FLIGHT} in flight)`, db: kind, unit: 'ops/s', better: 'higher',
      value: round(coreRate, 1), baseline: round(prismaRate, 1), baselineName: 'direct insert of the same rows (roll + held ballot), through Prisma',
    },
    {
      case: `cast ${BALLOTS} ballots concurrently through the core (${IN_FLIGHT} in flight)`, db: kind, unit: 'ops/s', better: 'higher',
      value: round(coreRate, 1), baseline: round(driverRate, 1), baselineName: 'direct insert of the same rows (roll + held ballot), straight to the driver',
    },
  ];
  rows.push(...cases);
  for (const row of cases) console.error(`progress: ${JSON.stringify(row)}`);
  await app.services.broadcasts.stop();
  await database.close();
}

const count = await benchCount({ runs: 5 });
const floor = nodeFloorMs(5);
console.error(`progress: count ${JSON.stringify(count)}; node start-up floor ${round(floor, 1)} ms`);
rows.push(
  { case: 'forumbot count: 200k ballots, 20 candidates, 5 seats, scottish-stv (whole process, wall)', db: null, unit: 'ms', better: 'lower', value: round(count.ms, 1), baseline: round(floor, 1), baselineName: 'node -e 0 (process start-up floor)' },
  { case: 'forumbot count: same, CPU time of the process', db: null, unit: 'ms', better: 'lower', value: count.cpuMs, baseline: null, baselineName: null },
  { case: 'forumbot count: same, peak RSS', db: null, unit: 'MB', better: 'lower', value: count.peakRssMb, baseline: null, baselineName: null },
);
await castOn('pglite');
if (process.env.DATABASE_URL) await castOn('postgres');
report('elections', rows);
