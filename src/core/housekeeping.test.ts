import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp, type App } from '../app.ts';
import type { Database } from '../db/client.ts';
import { testDatabase } from '../../test/support/database.ts';
import { silentLogger } from './logger.ts';
import { coreJobs } from './housekeeping.ts';

let database: Database;
let app: App;
const now = new Date('2026-11-23T04:00:00Z');
beforeAll(async () => {
  database = await testDatabase();
  app = createApp({ db: database.prisma, log: silentLogger, now: () => now });
});
afterAll(async () => {
  await app.services.broadcasts.stop();
  await database.close();
});

it('platform event ids are kept a week, then removed by the daily job', async () => {
  const db = database.prisma;
  const day = 24 * 3600_000;
  await db.processedEvent.createMany({
    data: [
      { key: 'slack:old', createdAt: new Date(now.getTime() - 9 * day) },
      { key: 'slack:six-days', createdAt: new Date(now.getTime() - 6 * day) },
      { key: 'slack:today', createdAt: new Date(now.getTime() - 3600_000) },
    ],
  });
  const job = coreJobs.find((j) => j.id === 'core.processed-events')!;
  expect(await app.scheduler.runDue(job, now)).toBe('ran');
  const left = (await db.processedEvent.findMany({ orderBy: { key: 'asc' } })).map((e) => e.key);
  expect(left).toEqual(['slack:six-days', 'slack:today']);
});

it('each night the database is vacuumed and analysed, which the embedded one never does by itself', async () => {
  const db = database.prisma;
  const tuples = async () => (await db.$queryRaw<{ reltuples: number }[]>`SELECT reltuples::float8 AS reltuples FROM pg_class WHERE relname = 'Seat'`)[0].reltuples;
  const forum = await db.forum.create({ data: { slug: 'vacuum', name: 'Vacuum Forum', cvcName: 'CVC' } });
  const partnership = await db.partnership.create({ data: { forumId: forum.id, name: 'Board' } });
  await db.seat.createMany({ data: Array.from({ length: 30 }, (_, i) => ({ partnershipId: partnership.id, label: `Seat ${i}` })) });
  expect(await tuples()).toBe(-1); // never analysed: the planner guesses
  const job = coreJobs.find((j) => j.id === 'core.vacuum-analyze')!;
  expect(await app.scheduler.runDue(job, now)).toBe('ran');
  expect(await tuples()).toBe(30);
});

it('finished job runs are kept 30 days, then removed; a run still going is kept', async () => {
  const db = database.prisma;
  const day = 24 * 3600_000;
  const run = (id: string, ago: number, status: 'SUCCEEDED' | 'FAILED' | 'RUNNING') => ({
    id, jobId: `test.${id}`, scheduledFor: new Date(now.getTime() - ago), status, instanceId: 'x', startedAt: new Date(now.getTime() - ago), leaseUntil: new Date(now.getTime() - ago + 60_000),
  });
  await db.jobRun.createMany({ data: [run('old', 31 * day, 'SUCCEEDED'), run('old-failed', 40 * day, 'FAILED'), run('stuck', 31 * day, 'RUNNING'), run('recent', 29 * day, 'SUCCEEDED')] });
  const job = coreJobs.find((j) => j.id === 'core.job-runs')!;
  expect(await app.scheduler.runDue(job, now)).toBe('ran');
  const left = (await db.jobRun.findMany({ where: { jobId: { startsWith: 'test.' } }, orderBy: { id: 'asc' } })).map((r) => r.id);
  expect(left).toEqual(['recent', 'stuck']);
});
