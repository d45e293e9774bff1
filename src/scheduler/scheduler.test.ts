import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import type { JobDef } from '../core/feature.ts';
import { silentLogger } from '../core/logger.ts';
import { testDatabase } from '../../test/support/database.ts';
import { Scheduler } from './scheduler.ts';

let database: Awaited<ReturnType<typeof testDatabase>>;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => database?.close());

function instance(now: () => Date) {
  return createApp({ db: database.prisma, log: silentLogger, now, features: [] }).services;
}

describe('scheduler', () => {
  it('two instances on one database run each due time once', async () => {
    let runs = 0;
    const job: JobDef = { id: 'once', cron: '0 9 * * *', run: async () => void runs++ };
    const now = () => new Date('2026-11-22T09:00:20Z');
    const a = new Scheduler(instance(now), [job]);
    const b = new Scheduler(instance(now), [job]);
    const results = await Promise.all([a.runDue(job), b.runDue(job), a.runDue(job), b.runDue(job)]);
    expect(runs).toBe(1);
    expect(results.filter((r) => r === 'ran')).toHaveLength(1);
  });

  it('catches up the latest run missed while down, once', async () => {
    const seen: string[] = [];
    const job: JobDef = { id: 'digest', cron: '0 8 * * 1', run: async (ctx) => void seen.push(ctx.scheduledFor.toISOString()) };
    const now = () => new Date('2026-11-26T12:00:00Z'); // Thursday: Monday's run was missed
    const s = new Scheduler(instance(now), [job]);
    await s.catchUp();
    await s.catchUp();
    expect(seen).toEqual(['2026-11-23T08:00:00.000Z']);
  });

  it('a failing job is recorded and retried with backoff, never thrown', async () => {
    let calls = 0;
    const job: JobDef = {
      id: 'flaky',
      cron: '*/5 * * * *',
      run: async () => {
        if (++calls === 1) throw new Error('feed unreachable');
      },
    };
    const clock = { now: new Date('2026-11-22T10:00:00Z') };
    const s = new Scheduler(instance(() => clock.now), [job], { retryBaseMs: 60_000 });
    expect(await s.runDue(job)).toBe('failed');
    const failed = await database.prisma.jobRun.findFirstOrThrow({ where: { jobId: 'flaky' } });
    expect([failed.status, failed.error]).toEqual(['FAILED', 'feed unreachable']);
    expect(await s.retryFailed()).toBe(0); // backoff not over
    clock.now = new Date(clock.now.getTime() + 61_000);
    expect(await s.retryFailed()).toBe(1);
    const done = await database.prisma.jobRun.findFirstOrThrow({ where: { jobId: 'flaky' } });
    expect([done.status, done.attempts, calls]).toEqual(['SUCCEEDED', 2, 2]);
  });

  it('a due time it cannot claim (the database failing) is not thrown, and is claimed on the next retry pass', async () => {
    let runs = 0;
    const job: JobDef = { id: 'every-minute', cron: '* * * * *', run: async () => void runs++ };
    const clock = { now: new Date('2026-11-22T11:00:10Z') };
    const s = new Scheduler(instance(() => clock.now), [job]);
    // the claim's INSERT fails as it would with the server gone: a cron tick has nobody to catch it
    await database.prisma.$executeRawUnsafe('ALTER TABLE "JobRun" RENAME TO "JobRunAway"');
    try {
      await expect(s.runDue(job)).resolves.toBe('failed');
    } finally {
      await database.prisma.$executeRawUnsafe('ALTER TABLE "JobRunAway" RENAME TO "JobRun"');
    }
    expect(runs).toBe(0);
    clock.now = new Date('2026-11-22T11:00:25Z'); // the next retry pass, the same minute
    expect(await s.retryFailed()).toBe(1);
    expect(await s.retryFailed()).toBe(0);
    const run = await database.prisma.jobRun.findFirstOrThrow({ where: { jobId: 'every-minute' } });
    expect([runs, run.status, run.scheduledFor.toISOString()]).toEqual([1, 'SUCCEEDED', '2026-11-22T11:00:00.000Z']);
  });
});
