import crypto from 'node:crypto';
import type { JobContext, JobDef } from '../../core/feature.ts';
import type { TenderAlert } from '../../generated/prisma/client.ts';
import { matchesSubscription } from './rules/matching.ts';
import { dueReminder, reminderKey } from './rules/reminders.ts';
import { pollFeeds } from './tenders.feeds.ts';
import { digestMessage, reminderMessage } from './tenders.render.ts';
import { activeSubscriptions, interestedPeople, matchable, subscriptionFilter, type Services } from './tenders.service.ts';

const DAY_MS = 24 * 3600_000;

/**
 * Reminders 7 days and 1 day before a deadline to interested members; alerts whose deadline
 * has passed are closed. Safe to run any number of times: each reminder's broadcast has a key
 * made of the alert, the kind and the deadline.
 */
export async function sendReminders(s: Services, now: Date): Promise<number> {
  await s.db.tenderAlert.updateMany({ where: { status: 'open', deadline: { lte: now } }, data: { status: 'closed' } });
  const alerts = await s.db.tenderAlert.findMany({ where: { status: 'open', deadline: { gt: now, lte: new Date(now.getTime() + 7 * DAY_MS) } } });
  let sent = 0;
  for (const alert of alerts) {
    const kind = dueReminder(alert.deadline!, now);
    if (!kind) continue;
    const people = await interestedPeople(s.db, alert.id);
    if (people.length === 0) continue;
    await s.broadcasts.broadcast(alert.forumId, 'tender-reminder', (t, locale) => reminderMessage(alert, kind, t, locale), {
      onlyPeople: people,
      dedupeKey: reminderKey(alert.id, kind, alert.deadline!),
    });
    sent++;
  }
  return sent;
}

/**
 * The weekly digest: alerts posted in the week before `until`, still open, to digest-mode
 * channels and members whose filters match them. One broadcast per distinct list of alerts.
 */
export async function sendDigests(s: Services, until: Date): Promise<number> {
  const since = new Date(until.getTime() - 7 * DAY_MS);
  const alerts = await s.db.tenderAlert.findMany({ where: { status: 'open', createdAt: { gt: since, lte: until } }, orderBy: { number: 'asc' } });
  const byForum = new Map<string, TenderAlert[]>();
  for (const a of alerts) byForum.set(a.forumId, [...(byForum.get(a.forumId) ?? []), a]);
  let sent = 0;
  for (const [forumId, list] of byForum) {
    const [channels, subs] = await Promise.all([
      s.db.channel.findMany({ where: { forumId, mode: 'DIGEST' } }),
      s.db.tenderSubscription.findMany({ where: activeSubscriptions(forumId) }),
    ]);
    const channelSub = new Map(subs.filter((x) => x.channelRef).map((x) => [x.channelRef as string, x]));
    const groups = new Map<string, { alerts: TenderAlert[]; channels: string[]; people: string[] }>();
    const add = (matched: TenderAlert[], target: { channel?: string; person?: string }) => {
      if (matched.length === 0) return;
      const key = matched.map((a) => a.id).join(',');
      const g = groups.get(key) ?? { alerts: matched, channels: [], people: [] };
      if (target.channel) g.channels.push(target.channel);
      if (target.person) g.people.push(target.person);
      groups.set(key, g);
    };
    for (const c of channels) {
      const sub = channelSub.get(c.ref);
      if (sub?.muted) continue;
      add(list.filter((a) => !sub || matchesSubscription(matchable(a), subscriptionFilter(sub))), { channel: c.ref });
    }
    for (const sub of subs) {
      if (!sub.personId || sub.mode !== 'digest' || sub.muted) continue;
      add(list.filter((a) => matchesSubscription(matchable(a), subscriptionFilter(sub))), { person: sub.personId });
    }
    for (const [key, g] of groups) {
      const hash = crypto.createHash('sha256').update(key).digest('hex').slice(0, 16);
      await s.broadcasts.broadcast(forumId, 'tender-digest', (t, locale) => digestMessage(g.alerts, t, locale), {
        onlyChannels: g.channels,
        onlyPeople: g.people,
        dedupeKey: `tenders:digest:${forumId}:${until.toISOString()}:${hash}`,
      });
      sent++;
    }
  }
  return sent;
}

export const tenderJobs: JobDef[] = [
  { id: 'tenders.reminders', cron: '5 * * * *', run: (ctx: JobContext) => sendReminders(ctx, ctx.scheduledFor).then(() => undefined) },
  { id: 'tenders.digest', cron: '30 8 * * 1', run: (ctx: JobContext) => sendDigests(ctx, ctx.scheduledFor).then(() => undefined) },
  { id: 'tenders.poll', cron: '20 */2 * * *', run: (ctx: JobContext) => pollFeeds(ctx, ctx.now()).then(() => undefined) },
];
