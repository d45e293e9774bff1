import { Feed } from 'feed';
import type { Db } from '../../db/client.ts';
import { formatDate } from '../../core/i18n.ts';
import type { PageContext } from '../../web/pages/context.ts';
import { newest } from '../../web/pages/context.ts';
import { html, type Html } from '../../web/pages/html.ts';
import { page } from '../../web/pages/layout.ts';
import type { PublicForum } from '../forums/forums.pages.ts';
import { COMPACT_MIN_DAYS, daysLeft, isClosed } from './rules.ts';

/**
 * Consultations and updates on the public record: the consultations still open with their closing
 * dates, those that ran short of the Compact's 12 weeks, the joint responses the forum published,
 * and the latest LSB updates (also as an Atom feed). Members' views stay private: only the forum's
 * published response is shown.
 */
const UPDATES_SHOWN = 50;

export async function consultationData(db: Db, forumId: string) {
  const [consultations, updates] = await Promise.all([
    db.consultation.findMany({
      where: { forumId },
      orderBy: { closesOn: 'desc' },
      take: 500,
      select: { id: true, runBy: true, opensOn: true, closesOn: true, link: true, lengthDays: true, shortConsultation: true, responseSummary: true, responseLink: true, respondedAt: true, update: { select: { id: true, title: true, postedAt: true } } },
    }),
    db.update.findMany({ where: { forumId }, orderBy: { postedAt: 'desc' }, take: UPDATES_SHOWN, select: { id: true, title: true, body: true, link: true, themes: true, partnership: true, postedAt: true } }),
  ]);
  return {
    consultations,
    updates,
    updated: newest(...consultations.map((c) => c.respondedAt), ...updates.map((u) => u.postedAt)),
  };
}
type Data = Awaited<ReturnType<typeof consultationData>>;
type Row = Data['consultations'][number];

const safeLink = (url: string | null) => (url && /^https?:\/\//.test(url) ? url : null);

export function consultationsPage(ctx: PageContext, forum: PublicForum, d: Data, now: Date): Html {
  const { t } = ctx;
  const date = (x: Date) => formatDate(x, ctx.locale);
  const base = `/f/${forum.slug}`;
  const open = d.consultations.filter((c) => !isClosed(c.closesOn, now)).sort((a, b) => a.closesOn.getTime() - b.closesOn.getTime());
  const short = d.consultations.filter((c) => c.shortConsultation);
  const responses = d.consultations.filter((c) => c.respondedAt).sort((a, b) => b.respondedAt!.getTime() - a.respondedAt!.getTime());
  const title = (c: Row) => (safeLink(c.link) ? html`<a href="${c.link!}">${c.update.title}</a>` : c.update.title);
  const shortMark = (c: Row) => (c.shortConsultation ? html` <strong class="overdue">${t('pages.consultations.shortMark', { days: c.lengthDays })}</strong>` : '');
  const table = (id: string, caption: string, rows: Row[], withLeft: boolean) =>
    html`<div class="table-wrap" role="region" tabindex="0" aria-labelledby="${id}"><table>
<thead><tr><th scope="col">${t('pages.consultations.consultation')}</th><th scope="col">${t('pages.consultations.runBy')}</th><th scope="col">${t('pages.consultations.opens')}</th><th scope="col">${t('pages.consultations.closes')}</th>${withLeft ? html`<th scope="col" class="num">${t('pages.consultations.daysLeft')}</th>` : ''}<th scope="col" class="num">${t('pages.consultations.length')}</th></tr></thead>
<tbody>${rows.map((c) => html`<tr><th scope="row">${title(c)}${shortMark(c)}</th><td>${c.runBy}</td><td>${date(c.opensOn)}</td><td><time datetime="${c.closesOn.toISOString().slice(0, 10)}">${date(c.closesOn)}</time></td>${withLeft ? html`<td class="num">${daysLeft(c.closesOn, now)}</td>` : ''}<td class="num">${c.lengthDays}</td></tr>`)}</tbody>
</table></div>${caption ? '' : ''}`;
  return page(ctx, {
    forum,
    section: 'consultations',
    title: t('pages.consultations.title'),
    body: html`<p class="lead">${t('pages.consultations.intro', { weeks: COMPACT_MIN_DAYS / 7 })}</p>
<h2 id="open-h">${t('pages.consultations.open')}</h2>
${open.length ? table('open-h', '', open, true) : html`<p>${t('pages.consultations.noneOpen')}</p>`}
<h2 id="short-h">${t('pages.consultations.short')}</h2>
<p>${t('pages.consultations.shortIntro', { weeks: COMPACT_MIN_DAYS / 7 })}</p>
${short.length ? table('short-h', '', short, false) : html`<p>${t('pages.consultations.noneShort')}</p>`}
<h2>${t('pages.consultations.responses')}</h2>
${responses.length
  ? responses.map((c) => html`<article class="reportback"><h3>${c.update.title}</h3><p class="meta">${c.runBy} · ${t('pages.consultations.published', { date: date(c.respondedAt!) })}</p><p>${c.responseSummary}</p>${safeLink(c.responseLink) ? html`<p><a href="${c.responseLink!}">${t('pages.consultations.readResponse')}</a></p>` : ''}</article>`)
  : html`<p>${t('pages.consultations.noneResponses')}</p>`}
<h2>${t('pages.consultations.updates')}</h2>
${d.updates.length
  ? html`<ul class="updates">${d.updates.map((u) => html`<li><strong>${safeLink(u.link) ? html`<a href="${u.link!}">${u.title}</a>` : u.title}</strong> <span class="meta">(<time datetime="${u.postedAt.toISOString()}">${date(u.postedAt)}</time>${u.partnership ? html`, ${u.partnership}` : ''})</span>${u.body ? html`<br>${u.body}` : ''}</li>`)}</ul>
<p class="data">${t('pages.consultations.updatesData')} <a href="${base}/updates.json">JSON</a> <a href="${base}/updates.csv">CSV</a> <a href="${base}/updates.atom">${t('pages.feed')}</a></p>`
  : html`<p>${t('pages.consultations.noneUpdates')}</p>`}`,
    data: { json: `${base}/consultations.json`, csv: `${base}/consultations.csv`, atom: `${base}/updates.atom` },
  });
}

export function consultationRows(d: Data, now: Date) {
  const columns = ['id', 'title', 'runBy', 'opens', 'closes', 'lengthDays', 'shortOfCompact', 'open', 'link', 'responsePublished', 'responseSummary', 'responseLink'];
  const day = (x: Date) => x.toISOString().slice(0, 10);
  const rows = d.consultations.map((c) => [
    c.update.id, c.update.title, c.runBy, day(c.opensOn), day(c.closesOn), c.lengthDays, c.shortConsultation ? 'yes' : 'no', isClosed(c.closesOn, now) ? 'no' : 'yes', c.link, c.respondedAt ? day(c.respondedAt) : null, c.responseSummary, c.responseLink,
  ]);
  return { columns, rows, records: rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))) };
}

export function updateRows(d: Data) {
  const columns = ['id', 'title', 'body', 'link', 'themes', 'partnership', 'posted'];
  const rows = d.updates.map((u) => [u.id, u.title, u.body, u.link, u.themes.join(' '), u.partnership, u.postedAt.toISOString()]);
  return { columns, rows, records: rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))) };
}

/** The latest updates and published joint responses as an Atom feed. */
export function updatesAtom(ctx: PageContext, forum: PublicForum, origin: string, d: Data): string {
  const home = `${origin}/f/${forum.slug}/consultations`;
  const feed = new Feed({ id: home, title: `${forum.name}: ${ctx.t('pages.consultations.title')}`, link: home, language: ctx.locale, updated: d.updated ?? forum.createdAt, copyright: ctx.t('pages.licence'), generator: 'forumbot' });
  for (const u of d.updates) feed.addItem({ id: `${home}#update-${u.id}`, link: safeLink(u.link) ?? home, title: u.title, date: u.postedAt, description: u.body ?? undefined });
  for (const c of d.consultations.filter((x) => x.respondedAt)) {
    feed.addItem({ id: `${home}#response-${c.id}`, link: safeLink(c.responseLink) ?? home, title: ctx.t('pages.consultations.responseTitle', { title: c.update.title }), date: c.respondedAt!, description: c.responseSummary ?? undefined });
  }
  return feed.atom1();
}
