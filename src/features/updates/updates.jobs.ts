import crypto from 'node:crypto';
import type { BotServices } from '../../core/context.ts';
import type { JobDef } from '../../core/feature.ts';
import type { Locale, Translate } from '../../core/i18n.ts';
import { pollDueFeeds } from './feeds.service.ts';
import { digestDue, dueReminder, startOfDay, DAY_MS } from './rules.ts';
import { renderDigest, renderReminder } from './updates.render.ts';
import { subscribersFor } from './updates.service.ts';

type Services = Pick<BotServices, 'db' | 'broadcasts' | 'log'>;

/**
 * Sends each forum's weekly digest that is due at `now`: every update stored since the last
 * digest, once, to the forum's digest channels, and to each digest subscriber the updates on
 * their themes. Broadcasts carry the digest's time in their key, so a re-run sends nothing twice.
 */
export async function sendDigests(services: Services, now: Date): Promise<number> {
  const { db, broadcasts } = services;
  const forums = await db.forum.findMany({ include: { updateSettings: true } });
  let sent = 0;
  for (const forum of forums) {
    const settings = forum.updateSettings ?? { digestWeekday: 1, digestHour: 9, lastDigestAt: null };
    const due = digestDue(settings, now);
    if (!due) continue;
    const updates = await db.update.findMany({
      where: { forumId: forum.id, quiet: false, postedAt: { gt: due.from, lte: due.to } },
      include: { consultation: true },
      orderBy: { postedAt: 'asc' },
    });
    if (updates.length) {
      const own = await db.updateTheme.findMany({ where: { forumId: forum.id } });
      const key = `updates:digest:${forum.id}:${due.to.toISOString()}`;
      await broadcasts.broadcast(forum.id, 'updates-digest', (t: Translate, l: Locale) => renderDigest(updates, t, l, own, forum.name, due.to), {
        channelMode: 'DIGEST',
        includeDirect: false,
        dedupeKey: `${key}:channels`,
      });
      // members with the same choice of themes get the same digest: one broadcast per choice
      const subs = await db.updateSubscription.findMany({ where: { forumId: forum.id, mode: 'DIGEST' } });
      const groups = new Map<string, { all: boolean; themes: string[]; people: string[] }>();
      for (const s of subs) {
        const choice = s.allThemes ? '*' : [...s.themes].sort().join(',');
        const g = groups.get(choice) ?? { all: s.allThemes, themes: s.themes, people: [] };
        g.people.push(s.personId);
        groups.set(choice, g);
      }
      for (const [choice, g] of groups) {
        const mine = updates.filter((u) => g.all || u.themes.some((th) => g.themes.includes(th)));
        if (!mine.length) continue;
        await broadcasts.broadcast(forum.id, 'updates-digest', (t: Translate, l: Locale) => renderDigest(mine, t, l, own, forum.name, due.to), {
          onlyPeople: g.people,
          dedupeKey: `${key}:themes:${crypto.createHash('sha1').update(choice).digest('hex').slice(0, 16)}`,
        });
      }
      sent++;
    }
    await db.updateSettings.upsert({
      where: { forumId: forum.id },
      create: { forumId: forum.id, lastDigestAt: due.to },
      update: { lastDigestAt: due.to },
    });
  }
  return sent;
}

/** Reminds subscribers two weeks and three days before a consultation closes; each reminder once. */
export async function sendConsultationReminders(services: Services, now: Date): Promise<number> {
  const { db, broadcasts } = services;
  const open = await db.consultation.findMany({
    where: { closesOn: { gte: new Date(startOfDay(now).getTime() - DAY_MS), lte: new Date(now.getTime() + 15 * DAY_MS) } },
    include: { update: true },
  });
  let sent = 0;
  for (const c of open) {
    const which = dueReminder({ closesOn: c.closesOn, postedAt: c.update.postedAt, reminded14At: c.reminded14At, reminded3At: c.reminded3At }, now);
    if (!which) continue;
    const full = { ...c.update, consultation: c };
    const people = await subscribersFor(db, c.forumId, c.update.themes);
    if (people.length) {
      await broadcasts.broadcast(c.forumId, 'consultation-reminder', (t: Translate, l: Locale) => renderReminder(full, which, t, l), {
        onlyPeople: people,
        dedupeKey: `consultation:${c.id}:remind:${which}`,
      });
    }
    await db.consultation.update({ where: { id: c.id }, data: which === '14d' ? { reminded14At: now } : { reminded3At: now } });
    sent++;
  }
  return sent;
}

export const updatesJobs: JobDef[] = [
  { id: 'updates.digest', cron: '0 * * * *', run: async (ctx) => void (await sendDigests(ctx, ctx.scheduledFor)) },
  { id: 'updates.consultation-reminders', cron: '0 8 * * *', run: async (ctx) => void (await sendConsultationReminders(ctx, ctx.now())) },
  { id: 'updates.feeds', cron: '*/15 * * * *', run: async (ctx) => void (await pollDueFeeds(ctx, ctx.now())) },
];
