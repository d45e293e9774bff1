/**
 * The core's own schedule: records kept only for a while are removed when their time is up.
 */
import type { JobDef } from './feature.ts';

/** Platforms redeliver an event within minutes (Slack for about an hour); a week is ample. */
export const PROCESSED_EVENT_DAYS = 7;

export const coreJobs: JobDef[] = [
  {
    id: 'core.processed-events',
    cron: '40 3 * * *',
    async run(ctx) {
      const before = new Date(ctx.scheduledFor.getTime() - PROCESSED_EVENT_DAYS * 24 * 3600_000);
      await ctx.db.processedEvent.deleteMany({ where: { createdAt: { lt: before } } });
    },
  },
];
