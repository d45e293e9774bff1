import type { Db } from '../../db/client.ts';
import type { PageContext } from '../../web/pages/context.ts';
import { barChart } from '../../web/pages/chart.ts';
import { html, type Html } from '../../web/pages/html.ts';
import { page, tableHtml } from '../../web/pages/layout.ts';
import type { PublicForum } from '../forums/forums.pages.ts';
import { codeName } from './catalogue.service.ts';
import { forumStatistics } from './reports.service.ts';
import { statisticsTables } from './statistics.tables.ts';

/** The compact breach statistics as in chat (small numbers held back, no body named), with a chart of notices by year. */
export async function breachData(ctx: PageContext, db: Db, forumId: string) {
  const [stats, codes] = await Promise.all([forumStatistics(db, forumId, 'year'), db.compactCode.findMany({ where: { compact: { forumId } } })]);
  const codeLabel = (k: string) => {
    const c = codes.find((x) => x.key === k);
    return c ? codeName(c, ctx.locale) : k;
  };
  return { stats, tables: stats.length ? statisticsTables(ctx.t, stats, codeLabel) : [] };
}

export async function breachesPage(ctx: PageContext, forum: PublicForum, d: Awaited<ReturnType<typeof breachData>>): Promise<Html> {
  const { t } = ctx;
  const shown = d.stats.filter((p) => !p.total.suppressed);
  const chart = shown.length
    ? await barChart({ title: t('pages.breaches.chart'), x: t('pages.breaches.period'), y: t('pages.breaches.notices'), bars: shown.map((p) => ({ x: p.period, y: p.total.count! })) })
    : '';
  return page(ctx, {
    forum,
    section: 'breaches',
    title: t('pages.breaches.title'),
    body: d.tables.length
      ? html`<div class="chart-and-table">${chart}${tableHtml(d.tables[0])}</div>${d.tables.slice(1).map(tableHtml)}<p>${t('breaches.stats.note')}</p>`
      : html`<p>${t('breaches.stats.none')}</p>`,
    data: { json: `/f/${forum.slug}/breaches.json`, csv: `/f/${forum.slug}/breaches.csv` },
  });
}

export function breachRows(d: Awaited<ReturnType<typeof breachData>>) {
  const columns = ['period', 'dimension', 'category', 'count'];
  const rows: (string | number | null)[][] = [];
  for (const p of d.stats) {
    rows.push([p.period, 'total', 'all', p.total.count]);
    for (const [dim, cells] of [['code', p.byCode], ['bodyKind', p.byBodyKind], ['outcome', p.byOutcome]] as const) for (const c of cells) rows.push([p.period, dim, c.key, c.count]);
    rows.push([p.period, 'medianDaysToResolution', 'resolved', p.medianDaysToResolution.days]);
  }
  return { columns, rows };
}
