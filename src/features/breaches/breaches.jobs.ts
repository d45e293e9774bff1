import type { JobContext, JobDef } from '../../core/feature.ts';
import { formatDate } from '../../core/i18n.ts';
import { officerIds, publishHeldAnonymous, tellPeople } from './notices.service.ts';
import { dueSoon, OPEN_STATES, overdue, type CaseState } from './rules/case-flow.ts';
import { discardOldAnonymousCounts } from './throttle.ts';
import { dueLabel } from './notice-form.ts';

const day = (iso: string, locale: 'en' | 'cy') => formatDate(new Date(`${iso}T12:00:00Z`), locale);

/**
 * Reminds officers of deadlines due within a working day, and of overdue ones. Each reminder's
 * broadcast key names the case, the deadline and its date, so a rerun (or a second instance)
 * sends nothing twice, and a case gets one "due soon" and one "overdue" per deadline.
 */
export async function remindDeadlines(ctx: Pick<JobContext, 'db' | 'broadcasts'>, now: Date): Promise<number> {
  const rows = await ctx.db.breachNotice.findMany({ where: { state: { in: [...OPEN_STATES] }, dueOn: { not: null } }, include: { party: true } });
  const cases = rows.map((n) => ({ ...n, state: n.state as CaseState, since: n.stateSince, deadline: { kind: n.dueKind as never, due: n.dueOn! } }));
  let sent = 0;
  const officersOf = new Map<string, string[]>();
  const officers = async (forumId: string) => {
    if (!officersOf.has(forumId)) officersOf.set(forumId, await officerIds(ctx.db, forumId));
    return officersOf.get(forumId)!;
  };
  for (const { case: c, deadline } of dueSoon(cases, now, 1)) {
    await tellPeople(ctx.broadcasts, c.forumId, await officers(c.forumId), 'breach.reminder', (t, l) => ({ text: t('breaches.remind.soon', { number: c.number, body: c.party.name, what: dueLabel(t, deadline.kind), date: day(deadline.due, l) }) }), `breach:${c.id}:${deadline.kind}:${deadline.due}:soon`);
    sent++;
  }
  for (const l of overdue(cases, now)) {
    const c = l.case;
    await tellPeople(ctx.broadcasts, c.forumId, await officers(c.forumId), 'breach.overdue', (t, loc) => ({ text: t('breaches.remind.overdue', { number: c.number, body: c.party.name, what: dueLabel(t, l.deadline.kind), date: day(l.deadline.due, loc) }) }), `breach:${c.id}:${l.deadline.kind}:${l.deadline.due}:overdue`);
    sent++;
  }
  return sent;
}

/**
 * Tells officers of anonymous notices and anonymous filers' messages in hourly batches rather than
 * the moment they arrive, so no delivery or broadcast row is timed to the filer's own request.
 * Marking them told rewrites the rows in this job's transaction. Also deletes abandoned filing
 * forms (text-form state keyed by conversation and user) once they expire, and the past days' keys
 * and counts of anonymous filings.
 */
export async function tellOfficersOfAnonymous(ctx: Pick<JobContext, 'db' | 'broadcasts'>, now: Date, runKey: string): Promise<number> {
  const newNotices = await ctx.db.breachNotice.findMany({ where: { officersTold: false }, select: { id: true, number: true, forumId: true } });
  const newMessages = await ctx.db.breachMessage.findMany({ where: { officersTold: false }, select: { id: true, notice: { select: { number: true, forumId: true } } } });
  const forums = new Set([...newNotices.map((n) => n.forumId), ...newMessages.map((m) => m.notice.forumId)]);
  for (const forumId of forums) {
    const ns = newNotices.filter((n) => n.forumId === forumId).map((n) => `#${n.number}`);
    const ms = [...new Set(newMessages.filter((m) => m.notice.forumId === forumId).map((m) => `#${m.notice.number}`))];
    await tellPeople(
      ctx.broadcasts,
      forumId,
      await officerIds(ctx.db, forumId),
      'breach.anonymous',
      (t) => ({ text: [ns.length ? t('breaches.officers.anonymousNotices', { list: ns.join(', ') }) : '', ms.length ? t('breaches.officers.anonymousMessages', { list: ms.join(', ') }) : ''].filter(Boolean).join('\n') }),
      `breach:anonymous:${forumId}:${runKey}`,
    );
  }
  await ctx.db.$transaction([
    ctx.db.breachNotice.updateMany({ where: { id: { in: newNotices.map((n) => n.id) } }, data: { officersTold: true } }),
    ctx.db.breachMessage.updateMany({ where: { id: { in: newMessages.map((m) => m.id) } }, data: { officersTold: true } }),
  ]);
  await ctx.db.$executeRaw`DELETE FROM "ConversationState" WHERE "expiresAt" < ${now}
    AND (data->'form'->'submit'->>'command' = 'breach submit' OR data::text LIKE '%"command": "breach file"%' OR data::text LIKE '%"command":"breach file"%')`;
  // yesterday's key for counting anonymous filings, and its counts, go with the day
  await discardOldAnonymousCounts(ctx.db, now);
  return newNotices.length + newMessages.length;
}

export const breachJobs: JobDef[] = [
  {
    // the mixing job (ANONYMITY.md): anonymous notices, filers' messages and seen marks published
    // in shuffled batches, so none is written in (or next to) the filer's own transaction
    id: 'breaches.mix',
    cron: '* * * * *',
    async run(ctx) {
      const moved = await publishHeldAnonymous(ctx.db);
      if (moved) ctx.log.debug('held anonymous filings published', { items: moved });
    },
  },
  { id: 'breaches.deadlines', cron: '0 8 * * *', run: (ctx) => remindDeadlines(ctx, ctx.scheduledFor).then(() => undefined) },
  { id: 'breaches.anonymous', cron: '0 * * * *', run: (ctx) => tellOfficersOfAnonymous(ctx, ctx.scheduledFor, ctx.scheduledFor.toISOString()).then(() => undefined) },
];
