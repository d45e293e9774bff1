import type { Db } from '../../db/client.ts';
import type { Table } from '../../core/messages.ts';
import type { PageContext } from '../../web/pages/context.ts';
import { categoryChart } from '../../web/pages/chart.ts';
import { html, type Html } from '../../web/pages/html.ts';
import { page, tableHtml } from '../../web/pages/layout.ts';
import type { PublicForum } from '../forums/forums.pages.ts';
import { codeLabeller } from './outputs.labels.ts';
import { outputsReport, periodOfDate, type OutputsReport, type Period } from './outputs.service.ts';
import { outputsTables } from './outputs.tables.ts';

/** Measures drawn as a chart beside their table (the others are tables only: elections list titles, breach figures may be held back). */
const CHARTED = new Set(['seats', 'reportbacks', 'issues', 'consultations', 'alerts']);

/** The public outputs report: every partnership whose record is public, for the chosen financial year. */
export async function outputsData(ctx: PageContext, db: Db, forum: PublicForum, period: Period, now: Date) {
  const report = await outputsReport(db, forum.id, period, now, true);
  return { report, tables: outputsTables(ctx.t, ctx.locale, report, await codeLabeller(db, forum.id, ctx.locale)) };
}

/** The financial years a reader can choose: from the forum's first to the current one, newest first. */
export function periodChoices(forum: PublicForum, now: Date): string[] {
  const first = Number(periodOfDate(forum.createdAt).label.slice(0, 4)) - 1;
  const last = Number(periodOfDate(now).label.slice(0, 4));
  const out: string[] = [];
  for (let y = last; y >= first; y--) out.push(`${y}-${String((y + 1) % 100).padStart(2, '0')}`);
  return out;
}

const chartOf = (key: string, table: Table, x: string) =>
  categoryChart({
    title: table.caption ?? '',
    x,
    // the last row of the seats and report-backs tables is their total: the bars are the parts
    bars: (key === 'seats' || key === 'reportbacks' ? table.rows.slice(0, -1) : table.rows).map((r) => ({ category: r[0], value: Number(r[1]) })),
  });

export async function outputsPage(ctx: PageContext, forum: PublicForum, d: Awaited<ReturnType<typeof outputsData>>, choices: string[], badPeriod = false): Promise<Html> {
  const { t } = ctx;
  const r: OutputsReport = d.report;
  const base = `/f/${forum.slug}/outputs`;
  const sections = await Promise.all(
    d.tables.map(async ({ key, table }) =>
      CHARTED.has(key) ? html`<div class="chart-and-table">${await chartOf(key, table, t('outputs.count'))}${tableHtml(table)}</div>` : tableHtml(table),
    ),
  );
  return page(ctx, {
    forum,
    section: 'outputs',
    title: t('pages.outputs.title', { period: r.period.label }),
    body: html`${badPeriod ? html`<p role="alert" class="overdue">${t('pages.outputs.badPeriod')}</p>` : ''}<p class="lead">${t('pages.outputs.intro', { from: r.period.from, to: r.period.to })}</p>
<form class="search" method="get" action="${base}">
${ctx.explicit ? html`<input type="hidden" name="lang" value="${ctx.locale}">` : ''}
<div><label for="period">${t('pages.outputs.period')}</label><select id="period" name="period">${choices.map((c) => html`<option value="${c}"${c === r.period.label ? html` selected` : ''}>${c}</option>`)}</select></div>
<div><button type="submit">${t('pages.outputs.show')}</button></div>
</form>
${sections}`,
    data: { json: ctx.href(`${base}.json`, { period: r.period.label }), csv: ctx.href(`${base}.csv`, { period: r.period.label }) },
  });
}
