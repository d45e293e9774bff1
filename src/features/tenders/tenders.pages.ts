import type { Db } from '../../db/client.ts';
import { formatDate } from '../../core/i18n.ts';
import type { PageContext } from '../../web/pages/context.ts';
import { newest } from '../../web/pages/context.ts';
import { html, type Html } from '../../web/pages/html.ts';
import { page } from '../../web/pages/layout.ts';
import type { PublicForum } from '../forums/forums.pages.ts';
import { refOf, valueText } from './tenders.render.ts';
import type { Route } from './rules/ocds-fields.ts';

/**
 * Open opportunities: the forum's tender and funding alerts still open (no deadline passed, not
 * awarded, closed or cancelled), soonest deadline first. Who marked interest is never shown.
 */
export async function openOpportunities(db: Db, forumId: string, now: Date) {
  const rows = await db.tenderAlert.findMany({
    where: { forumId, status: 'open', OR: [{ deadline: null }, { deadline: { gt: now } }] },
    orderBy: [{ deadline: { sort: 'asc', nulls: 'last' } }, { number: 'asc' }],
    take: 500,
    select: {
      id: true, number: true, title: true, buyer: true, description: true, currency: true, valueAmount: true, minValueAmount: true, deadline: true, enquiryDeadline: true,
      route: true, themes: true, areas: true, consortiaWelcome: true, link: true, updatedAt: true,
    },
  });
  return { rows, updated: newest(...rows.map((r) => r.updatedAt)) };
}
type Data = Awaited<ReturnType<typeof openOpportunities>>;

const safeLink = (url: string | null) => (url && /^https?:\/\//.test(url) ? url : null);

export function opportunitiesPage(ctx: PageContext, forum: PublicForum, d: Data): Html {
  const { t } = ctx;
  const base = `/f/${forum.slug}/opportunities`;
  return page(ctx, {
    forum,
    section: 'opportunities',
    title: t('pages.opportunities.title'),
    body: html`<p class="lead">${t('pages.opportunities.intro')}</p>
${d.rows.length
  ? html`<div class="table-wrap" role="region" tabindex="0" aria-label="${t('pages.opportunities.title')}"><table>
<thead><tr><th scope="col">${t('pages.opportunities.opportunity')}</th><th scope="col">${t('pages.opportunities.buyer')}</th><th scope="col">${t('pages.opportunities.route')}</th><th scope="col" class="num">${t('pages.opportunities.value')}</th><th scope="col">${t('pages.opportunities.deadline')}</th><th scope="col">${t('pages.opportunities.consortia')}</th></tr></thead>
<tbody>${d.rows.map((a) => html`<tr><th scope="row">${refOf(a)}: ${safeLink(a.link) ? html`<a href="${a.link!}">${a.title}</a>` : a.title}</th><td>${a.buyer ?? ''}</td><td>${t(`tenders.route.${a.route as Route}`)}</td><td class="num">${valueText(a, t, ctx.locale)}</td><td>${a.deadline ? html`<time datetime="${a.deadline.toISOString()}">${formatDate(a.deadline, ctx.locale, true)}</time>` : t('pages.opportunities.noDeadline')}</td><td>${a.consortiaWelcome === true ? t('pages.opportunities.yes') : a.consortiaWelcome === false ? t('pages.opportunities.no') : ''}</td></tr>`)}</tbody>
</table></div>`
  : html`<p>${t('pages.opportunities.none')}</p>`}`,
    data: { json: `${base}.json`, csv: `${base}.csv` },
  });
}

export function opportunityRows(d: Data) {
  const columns = ['ref', 'title', 'buyer', 'route', 'currency', 'value', 'minValue', 'deadline', 'enquiryDeadline', 'consortiaWelcome', 'themes', 'areas', 'link'];
  const rows = d.rows.map((a) => [
    refOf(a), a.title, a.buyer, a.route, a.currency, a.valueAmount, a.minValueAmount, a.deadline?.toISOString() ?? null, a.enquiryDeadline?.toISOString() ?? null,
    a.consortiaWelcome === null ? null : a.consortiaWelcome ? 'yes' : 'no', a.themes.join(' '), a.areas.join(' '), a.link,
  ]);
  return { columns, rows, records: rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))) };
}
