/**
 * The core's own schedule: records kept only for a while are removed when their time is up, and
 * the database is tidied and its statistics brought up to date each night.
 */
import type { JobDef } from './feature.ts';

/** Platforms redeliver an event within minutes (Slack for about an hour); a week is ample. */
export const PROCESSED_EVENT_DAYS = 7;

/** Longer than the scheduler's catch-up window (7 days), so no claim it may look for is gone. */
export const JOB_RUN_DAYS = 30;

export const coreJobs: JobDef[] = [
  {
    id: 'core.processed-events',
    cron: '40 3 * * *',
    async run(ctx) {
      const before = new Date(ctx.scheduledFor.getTime() - PROCESSED_EVENT_DAYS * 24 * 3600_000);
      await ctx.db.processedEvent.deleteMany({ where: { createdAt: { lt: before } } });
    },
  },
  {
    // finished job runs: the claims of runs long past (the two mixing jobs alone make 2,880 a day)
    id: 'core.job-runs',
    cron: '45 3 * * *',
    async run(ctx) {
      const before = new Date(ctx.scheduledFor.getTime() - JOB_RUN_DAYS * 24 * 3600_000);
      await ctx.db.jobRun.deleteMany({ where: { status: { not: 'RUNNING' }, startedAt: { lt: before } } });
    },
  },
  {
    // The embedded database has no autovacuum: without this, the space of deleted and updated
    // rows (the week-old event ids above, every night) is never reused, and the planner never
    // learns the tables' sizes, so it picks plans fit for empty tables. On PostgreSQL autovacuum
    // does the same work; this nightly pass finds little left to do.
    id: 'core.vacuum-analyze',
    cron: '50 3 * * *',
    async run(ctx) {
      await ctx.db.$executeRawUnsafe('VACUUM (ANALYZE)');
    },
  },
];
