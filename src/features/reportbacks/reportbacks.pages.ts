import { Feed } from 'feed';
import type { Db } from '../../db/client.ts';
import { formatDate } from '../../core/i18n.ts';
import { londonDayStart } from '../../core/london-time.ts';
import { addDays, isDay } from './schedule.ts';
import type { PageContext } from '../../web/pages/context.ts';
import { newest } from '../../web/pages/context.ts';
import { html, type Html } from '../../web/pages/html.ts';
import { page } from '../../web/pages/layout.ts';
import type { PublicForum } from '../forums/forums.pages.ts';

/**
 * Published report-backs in full, searchable by words, partnership and date; their actions (owners
 * and due dates, overdue marked); the issues the sector raised with the answers recorded. Members-only
 * partnerships stay out. Names shown: seat holders only; anyone else is "a member".
 */
export interface ReportbackFilter {
  q?: string;
  partnership?: string;
  from?: string;
  to?: string;
}
const PAGE = 50;
/** A filter's day as the London days it names: from its start to the start of the next. */
const day = (s: string | undefined, next = 0) => (s && isDay(s) ? londonDayStart(addDays(s, next)) : undefined);

export async function reportbackList(db: Db, forumId: string, f: ReportbackFilter, take = PAGE) {
  const from = day(f.from);
  const to = day(f.to, 1);
  const words = (f.q ?? '').trim().slice(0, 200);
  const where = {
    meeting: {
      partnership: { forumId, membersOnly: false, ...(f.partnership && /^[0-9a-f-]{36}$/.test(f.partnership) ? { id: f.partnership } : {}) },
      ...(from || to ? { startsAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
    },
    ...(words ? { searchText: { contains: words, mode: 'insensitive' as const } } : {}),
  };
  const [rows, total, partnerships] = await Promise.all([
    db.reportback.findMany({ where, orderBy: { publishedAt: 'desc' }, take, include: reportbackInclude }),
    db.reportback.count({ where }),
    db.partnership.findMany({ where: { forumId, membersOnly: false }, select: { id: true, name: true }, orderBy: { name: 'asc' } }),
  ]);
  const holders = await seatHolderIds(db, forumId, rows.flatMap((r) => [r.authorId, ...r.actions.map((a) => a.ownerId)]));
  return { rows, total, partnerships, holders, updated: newest(...rows.map((r) => r.updatedAt)) };
}
const reportbackInclude = { meeting: { include: { partnership: { select: { id: true, name: true } } } }, author: { select: { displayName: true } }, actions: { orderBy: { position: 'asc' as const } } };

export async function reportbackOne(db: Db, forumId: string, id: string) {
  if (!/^[0-9a-f-]{36}$/.test(id)) return null;
  const r = await db.reportback.findFirst({ where: { id, meeting: { partnership: { forumId, membersOnly: false } } }, include: reportbackInclude });
  if (!r) return null;
  return { r, holders: await seatHolderIds(db, forumId, [r.authorId, ...r.actions.map((a) => a.ownerId)]) };
}

/** Which of these people hold or held a seat in the forum (a public role), so may be named. */
export async function seatHolderIds(db: Db, forumId: string, ids: (string | null)[]): Promise<Set<string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (!wanted.length) return new Set();
  const rows = await db.seatHolding.findMany({ where: { personId: { in: wanted }, seat: { partnership: { forumId } } }, select: { personId: true }, distinct: ['personId'] });
  return new Set(rows.map((r) => r.personId));
}

type Report = Awaited<ReturnType<typeof reportbackList>>['rows'][number];

/** An action's owner as public text: as written when not a member, named when a seat holder, else "a member". */
const ownerText = (ctx: PageContext, a: Report['actions'][number], holders: Set<string>) => (!a.ownerId || holders.has(a.ownerId) ? a.ownerName : ctx.t('pages.issues.member'));
const authorText = (ctx: PageContext, r: Report, holders: Set<string>) => (r.joint || !holders.has(r.authorId) ? ctx.t('pages.reportbacks.joint') : ctx.t('pages.reportbacks.by', { name: r.author.displayName }));

export function reportbackArticle(ctx: PageContext, forum: PublicForum, r: Report, holders: Set<string>, now: Date, level: 2 | 3 = 2): Html {
  const { t } = ctx;
  const date = (d: Date) => formatDate(d, ctx.locale);
  const heading = t('pages.reportbacks.meeting', { partnership: r.meeting.partnership.name, date: date(r.meeting.startsAt) });
  const link = html`<a href="${ctx.href(`/f/${forum.slug}/reportbacks/${r.id}`)}">${heading}</a>`;
  const list = (title: string, items: string[]) => (items.length ? html`<h${level + 1}>${title}</h${level + 1}><ul>${items.map((i) => html`<li>${i}</li>`)}</ul>` : '');
  const h = level === 2 ? html`<h2>${link}</h2>` : html`<h3>${link}</h3>`;
  return html`<article class="reportback">${h}
<p class="meta">${authorText(ctx, r, holders)} · <time datetime="${r.publishedAt.toISOString()}">${date(r.publishedAt)}</time></p>
<p>${r.summary}</p>
${list(t('pages.reportbacks.decisions'), r.decisions)}
${list(t('pages.reportbacks.issues'), r.issuesForSector)}
${r.actions.length
  ? html`<h${level + 1}>${t('pages.reportbacks.actions')}</h${level + 1}><div class="table-wrap" role="region" tabindex="0" aria-label="${t('pages.reportbacks.actions')}"><table><thead><tr><th scope="col">${t('pages.reportbacks.actions')}</th><th scope="col">${t('pages.reportbacks.owner')}</th><th scope="col">${t('pages.reportbacks.due')}</th><th scope="col">${t('pages.issues.status')}</th></tr></thead><tbody>
${r.actions.map((a) => html`<tr><th scope="row">${a.what}</th><td>${ownerText(ctx, a, holders)}</td><td>${date(a.dueOn)}</td><td>${a.doneAt ? t('pages.reportbacks.done') : a.dueOn < now ? html`<strong class="overdue">${t('pages.reportbacks.overdue')}</strong>` : t('pages.reportbacks.open')}</td></tr>`)}
</tbody></table></div>`
  : ''}
${r.papersUrl && /^https?:\/\//.test(r.papersUrl) ? html`<p><a href="${r.papersUrl}">${t('pages.reportbacks.papers')}</a></p>` : ''}
</article>`;
}

export function reportbacksPage(ctx: PageContext, forum: PublicForum, d: Awaited<ReturnType<typeof reportbackList>>, f: ReportbackFilter, now: Date): Html {
  const { t } = ctx;
  const base = `/f/${forum.slug}/reportbacks`;
  const q = { q: f.q, partnership: f.partnership, from: f.from, to: f.to };
  return page(ctx, {
    forum,
    section: 'reportbacks',
    title: t('pages.reportbacks.title'),
    body: html`<form class="search" method="get" action="${base}" role="search" aria-label="${t('pages.reportbacks.search')}">
${ctx.explicit ? html`<input type="hidden" name="lang" value="${ctx.locale}">` : ''}
<div><label for="q">${t('pages.reportbacks.words')}</label><input id="q" name="q" type="search" value="${f.q ?? ''}"></div>
<div><label for="partnership">${t('pages.reportbacks.partnership')}</label><select id="partnership" name="partnership"><option value="">${t('pages.reportbacks.any')}</option>${d.partnerships.map((p) => html`<option value="${p.id}"${p.id === f.partnership ? html` selected` : ''}>${p.name}</option>`)}</select></div>
<div><label for="from">${t('pages.reportbacks.from')}</label><input id="from" name="from" type="date" value="${f.from ?? ''}"></div>
<div><label for="to">${t('pages.reportbacks.to')}</label><input id="to" name="to" type="date" value="${f.to ?? ''}"></div>
<div><button type="submit">${t('pages.reportbacks.go')}</button></div>
</form>
<p role="status">${t('pages.reportbacks.count', { count: d.total })}</p>
${d.rows.length ? d.rows.map((r) => reportbackArticle(ctx, forum, r, d.holders, now)) : html`<p>${t('pages.reportbacks.none')}</p>`}`,
    data: { json: ctx.href(`${base}.json`, q), csv: ctx.href(`${base}.csv`, q), atom: `${base}.atom` },
  });
}

export function reportbackRows(ctx: PageContext, d: Awaited<ReturnType<typeof reportbackList>>) {
  const columns = ['id', 'partnership', 'meeting', 'published', 'reportedBy', 'summary', 'decisions', 'issuesForSector', 'actions'];
  const rows = d.rows.map((r) => [
    r.id, r.meeting.partnership.name, r.meeting.startsAt.toISOString(), r.publishedAt.toISOString(), authorText(ctx, r, d.holders), r.summary, r.decisions.join('\n'), r.issuesForSector.join('\n'),
    r.actions.map((a) => `${a.what} (${ownerText(ctx, a, d.holders)}, ${a.dueOn.toISOString().slice(0, 10)}${a.doneAt ? ', done' : ''})`).join('\n'),
  ]);
  return { columns, rows, records: rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))) };
}

export function reportbackAtom(ctx: PageContext, forum: PublicForum, origin: string, d: Awaited<ReturnType<typeof reportbackList>>): string {
  const feed = new Feed({
    id: `${origin}/f/${forum.slug}/reportbacks`,
    title: `${forum.name}: ${ctx.t('pages.reportbacks.title')}`,
    link: `${origin}/f/${forum.slug}/reportbacks`,
    language: ctx.locale,
    updated: d.updated ?? forum.createdAt,
    copyright: ctx.t('pages.licence'),
    generator: 'forumbot',
  });
  for (const r of d.rows) {
    feed.addItem({
      id: `${origin}/f/${forum.slug}/reportbacks/${r.id}`,
      link: `${origin}/f/${forum.slug}/reportbacks/${r.id}`,
      title: ctx.t('pages.reportbacks.meeting', { partnership: r.meeting.partnership.name, date: formatDate(r.meeting.startsAt, ctx.locale) }),
      date: r.updatedAt,
      published: r.publishedAt,
      description: r.summary,
    });
  }
  return feed.atom1();
}

/** The issues the sector raised: the text, the partnership, the raiser's organisation only where named, the answer. */
export async function issueList(db: Db, forumId: string) {
  const rows = await db.forumIssue.findMany({
    where: { forumId, partnership: { membersOnly: false } },
    orderBy: { number: 'desc' },
    take: 200,
    select: { number: true, text: true, status: true, response: true, answeredAt: true, createdAt: true, organisationId: true, partnership: { select: { name: true } } },
  });
  const orgs = new Map((await db.organisation.findMany({ where: { id: { in: rows.map((r) => r.organisationId).filter((x): x is string => !!x) } }, select: { id: true, name: true } })).map((o) => [o.id, o.name]));
  return { rows: rows.map((r) => ({ ...r, organisation: r.organisationId ? (orgs.get(r.organisationId) ?? null) : null })), updated: newest(...rows.map((r) => r.answeredAt ?? r.createdAt)) };
}

export function issuesPage(ctx: PageContext, forum: PublicForum, d: Awaited<ReturnType<typeof issueList>>): Html {
  const { t } = ctx;
  const base = `/f/${forum.slug}/issues`;
  return page(ctx, {
    forum,
    section: 'issues',
    title: t('pages.issues.title'),
    body: d.rows.length
      ? html`${d.rows.map((i) => html`<article class="issue"><h2>#${i.number}: ${i.partnership.name}</h2><p>${i.text}</p>
<p class="meta">${t('pages.issues.raisedBy')}: ${i.organisation ?? t('pages.issues.member')} · ${t('pages.issues.status')}: ${t(`pages.issues.${i.status}`)}</p>
${i.response ? html`<h3>${t('pages.issues.answer')}</h3><p>${i.response}</p>` : ''}</article>`)}`
      : html`<p>${t('pages.issues.none')}</p>`,
    data: { json: `${base}.json`, csv: `${base}.csv` },
  });
}

export const issueRows = (ctx: PageContext, d: Awaited<ReturnType<typeof issueList>>) => ({
  columns: ['number', 'partnership', 'text', 'raisedBy', 'status', 'answer', 'answered'],
  rows: d.rows.map((i) => [i.number, i.partnership.name, i.text, i.organisation ?? ctx.t('pages.issues.member'), i.status.toLowerCase(), i.response, i.answeredAt?.toISOString() ?? null]),
});
