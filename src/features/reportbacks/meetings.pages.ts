import type { Db } from '../../db/client.ts';
import { formatDate } from '../../core/i18n.ts';
import type { PageContext } from '../../web/pages/context.ts';
import { newest } from '../../web/pages/context.ts';
import { html, type Html } from '../../web/pages/html.ts';
import { page } from '../../web/pages/layout.ts';
import type { PublicForum } from '../forums/forums.pages.ts';

const DAY = 86_400_000;

/**
 * Meetings of the forum's public partnerships: those coming up and those of the past year, each
 * with its place, papers and the report-backs filed on it; the iCalendar feed linked. Members-only
 * partnerships stay out.
 */
export async function meetingList(db: Db, forumId: string, now: Date) {
  const rows = await db.meeting.findMany({
    where: { partnership: { forumId, membersOnly: false }, startsAt: { gte: new Date(now.getTime() - 366 * DAY) } },
    orderBy: { startsAt: 'asc' },
    take: 1000,
    select: { id: true, startsAt: true, endsAt: true, place: true, papersUrl: true, cancelled: true, updatedAt: true, partnership: { select: { id: true, name: true } }, reportbacks: { select: { id: true } } },
  });
  return { upcoming: rows.filter((m) => m.endsAt >= now), past: rows.filter((m) => m.endsAt < now).reverse(), updated: newest(...rows.map((m) => m.updatedAt)) };
}
type Data = Awaited<ReturnType<typeof meetingList>>;

const safeLink = (url: string | null) => (url && /^https?:\/\//.test(url) ? url : null);

export function meetingsPage(ctx: PageContext, forum: PublicForum, d: Data): Html {
  const { t } = ctx;
  const base = `/f/${forum.slug}`;
  const table = (id: string, rows: Data['upcoming']) => html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="${id}"><table>
<thead><tr><th scope="col">${t('pages.meetings.partnership')}</th><th scope="col">${t('pages.meetings.when')}</th><th scope="col">${t('pages.meetings.where')}</th><th scope="col">${t('pages.meetings.papers')}</th><th scope="col">${t('pages.meetings.reportbacks')}</th></tr></thead>
<tbody>${rows.map((m) => html`<tr><th scope="row">${m.partnership.name}${m.cancelled ? html` <strong class="overdue">${t('pages.meetings.cancelled')}</strong>` : ''}</th><td><time datetime="${m.startsAt.toISOString()}">${formatDate(m.startsAt, ctx.locale, true)}</time></td><td>${safeLink(m.place) ? html`<a href="${m.place!}">${t('pages.meetings.online')}</a>` : (m.place ?? '')}</td><td>${safeLink(m.papersUrl) ? html`<a href="${m.papersUrl!}">${t('pages.reportbacks.papers')}</a>` : ''}</td><td>${m.reportbacks.map((r, i) => html`${i ? ', ' : ''}<a href="${ctx.href(`${base}/reportbacks/${r.id}`)}">${t('pages.meetings.reportback')}</a>`)}</td></tr>`)}</tbody>
</table></div>`;
  return page(ctx, {
    forum,
    section: 'meetings',
    title: t('pages.meetings.title'),
    body: html`<p class="lead">${t('pages.meetings.intro')}</p>
<p><a href="/calendar/${forum.slug}.ics">${t('pages.meetings.subscribe')}</a></p>
<h2 id="upcoming-h">${t('pages.meetings.upcoming')}</h2>
${d.upcoming.length ? table('upcoming-h', d.upcoming) : html`<p>${t('pages.meetings.noneUpcoming')}</p>`}
<h2 id="past-h">${t('pages.meetings.past')}</h2>
${d.past.length ? table('past-h', d.past) : html`<p>${t('pages.meetings.nonePast')}</p>`}`,
    data: { json: `${base}/meetings.json`, csv: `${base}/meetings.csv`, ics: `/calendar/${forum.slug}.ics` },
  });
}

export function meetingRows(d: Data) {
  const columns = ['id', 'partnership', 'starts', 'ends', 'place', 'papers', 'cancelled', 'reportbacks'];
  const rows = [...d.past].reverse().concat(d.upcoming).map((m) => [m.id, m.partnership.name, m.startsAt.toISOString(), m.endsAt.toISOString(), m.place, m.papersUrl, m.cancelled ? 'yes' : 'no', m.reportbacks.map((r) => r.id).join(' ')]);
  return { columns, rows, records: rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))) };
}
