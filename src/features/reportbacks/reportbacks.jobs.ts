import type { JobContext, JobDef } from '../../core/feature.ts';
import { extendAllSeries } from './meetings.service.ts';
import { actionReminderMessage, caucusMessage, promptMessage, reminderMessage } from './render.ts';
import * as rb from './reportbacks.service.ts';
import { holdersAt } from './meetings.service.ts';

/**
 * Every broadcast here carries a dedupe key naming what it is about, and the rows it creates
 * have unique keys: a job run twice (or by two instances) sends each message once.
 */

/** After a meeting: ask each seat holder privately for a report-back. */
export async function promptAfterMeetings(ctx: JobContext): Promise<number> {
  const created = await rb.createDueRequests(ctx.db, ctx.now());
  for (const c of created) {
    await ctx.broadcasts.broadcast(c.meeting.partnership.forumId, 'reportback-prompt', (t, locale) => promptMessage(t, locale, c.meeting, c.dueAt), {
      onlyPeople: [c.personId],
      dedupeKey: `reportback:prompt:${c.meeting.id}:${c.personId}`,
    });
  }
  return created.length;
}

/** Two days before a meeting: the representatives get the open issues. */
export async function caucusPrompts(ctx: JobContext): Promise<number> {
  const now = ctx.now();
  let sent = 0;
  for (const m of await rb.meetingsForCaucus(ctx.db, now)) {
    const holders = await holdersAt(ctx.db, m.partnershipId, now);
    if (!holders.length) continue;
    const key = `reportback:caucus:${m.id}`;
    if (await ctx.db.broadcast.findUnique({ where: { dedupeKey: key } })) continue;
    const issues = await rb.openIssues(ctx.db, m.partnershipId);
    await ctx.broadcasts.broadcast(m.partnership.forumId, 'caucus', (t, locale) => caucusMessage(t, locale, m, issues), { onlyPeople: holders, dedupeKey: key });
    sent++;
  }
  return sent;
}

/** Reminders three days before and on the due day; action owners before their date. */
export async function dailyReminders(ctx: JobContext): Promise<void> {
  const now = ctx.now();
  for (const { request: r, kind } of await rb.requestsToRemind(ctx.db, now)) {
    await ctx.broadcasts.broadcast(r.meeting.partnership.forumId, 'reportback-reminder', (t, locale) => reminderMessage(t, locale, r.meeting, kind, r.dueAt), {
      onlyPeople: [r.personId],
      dedupeKey: `reportback:remind:${kind}:${r.id}`,
    });
  }
  for (const a of await rb.actionsToRemind(ctx.db, now)) {
    const p = a.reportback.meeting.partnership;
    await ctx.broadcasts.broadcast(p.forumId, 'action-reminder', (t, locale) => actionReminderMessage(t, locale, a, p.name), {
      onlyPeople: [a.ownerId!],
      dedupeKey: `reportback:action:${a.id}:${a.dueOn.toISOString().slice(0, 10)}`,
    });
  }
  await extendAllSeries(ctx.db, now);
}

export const reportbackJobs: JobDef[] = [
  { id: 'reportbacks.after-meeting', cron: '*/15 * * * *', run: async (ctx) => void (await promptAfterMeetings(ctx)) },
  { id: 'reportbacks.caucus', cron: '5 * * * *', run: async (ctx) => void (await caucusPrompts(ctx)) },
  { id: 'reportbacks.daily', cron: '0 9 * * *', run: dailyReminders },
];
