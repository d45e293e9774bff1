import type { Db } from '../../db/client.ts';
import { formatDate } from '../../core/i18n.ts';
import type { Election } from '../../generated/prisma/client.ts';
import type { PageContext } from '../../web/pages/context.ts';
import { lineChart } from '../../web/pages/chart.ts';
import { html, type Html } from '../../web/pages/html.ts';
import { page, tableHtml } from '../../web/pages/layout.ts';
import type { PublicForum } from '../forums/forums.pages.ts';
import { candidateName, roundTable } from './announce.ts';
import type { DeclaredResult } from './counting.service.ts';
import { exportBlt } from './counting.service.ts';
import { standingCandidates } from './elections.service.ts';
import { tabulatorSummary } from './tabulator.ts';
import type { CountMethod } from './counting/types.ts';

/**
 * An election's public record: timeline, candidates and statements, and once declared the result,
 * turnout, the round table with a chart of it, and the anonymised ballots by receipt hash, with
 * downloads (BLT, CSV, Universal Tabulator JSON). Nothing here says who voted or how anyone voted.
 */
export const BALLOTS_SHOWN = 200;

export const forumElections = (db: Db, forumId: string) =>
  db.election.findMany({ where: { forumId, phase: { not: 'DRAFT' } }, orderBy: { nominationsOpenAt: 'desc' } });

export async function electionData(db: Db, forumId: string, id: string) {
  if (!/^[0-9a-f-]{36}$/.test(id)) return null;
  const e = await db.election.findFirst({ where: { id, forumId, phase: { not: 'DRAFT' } } });
  if (!e) return null;
  const declared = e.phase === 'DECLARED';
  const [candidates, partnership, ballots, total] = await Promise.all([
    standingCandidates(db, e),
    db.partnership.findUnique({ where: { id: e.partnershipId }, select: { name: true } }),
    declared ? db.electionBallot.findMany({ where: { electionId: e.id }, orderBy: { slot: 'asc' }, take: BALLOTS_SHOWN, select: { slot: true, ranking: true } }) : [],
    declared ? db.electionBallot.count({ where: { electionId: e.id } }) : 0,
  ]);
  return { e, candidates, partnership: partnership?.name ?? '', ballots, total, result: declared ? (e.result as unknown as DeclaredResult) : null };
}
type ElectionData = NonNullable<Awaited<ReturnType<typeof electionData>>>;

export function electionsListPage(ctx: PageContext, forum: PublicForum, list: Election[]): Html {
  const { t } = ctx;
  const base = `/f/${forum.slug}/elections`;
  return page(ctx, {
    forum,
    section: 'elections',
    title: t('pages.elections.title'),
    body: list.length
      ? html`<ul class="cards">${list.map((e) => html`<li><a href="${ctx.href(`${base}/${e.id}`)}">${e.title}</a>: ${t(`elections.phase.${e.phase}`)}, ${formatDate(e.votingCloseAt, ctx.locale)}</li>`)}</ul>`
      : html`<p>${t('pages.elections.none')}</p>`,
    data: { json: `${base}.json`, csv: `${base}.csv` },
  });
}

export const electionRows = (list: Election[]) => ({
  columns: ['id', 'title', 'phase', 'method', 'nominationsOpen', 'nominationsClose', 'votingOpen', 'votingClose', 'declared'],
  rows: list.map((e) => [e.id, e.title, e.phase.toLowerCase(), e.method, e.nominationsOpenAt.toISOString(), e.nominationsCloseAt.toISOString(), e.votingOpenAt.toISOString(), e.votingCloseAt.toISOString(), e.declaredAt?.toISOString() ?? null]),
});

export async function electionPage(ctx: PageContext, forum: PublicForum, d: ElectionData, check: Html | null): Promise<Html> {
  const { t } = ctx;
  const { e, result } = d;
  const base = `/f/${forum.slug}/elections/${e.id}`;
  const when = (x: Date) => formatDate(x, ctx.locale, true);
  const names = new Map(d.candidates.map((c) => [c.id, candidateName(t, c)]));
  const timeline: ['nominationsOpen' | 'nominationsClose' | 'votingOpen' | 'votingClose' | 'declared', Date | null][] = [
    ['nominationsOpen', e.nominationsOpenAt],
    ['nominationsClose', e.nominationsCloseAt],
    ['votingOpen', e.votingOpenAt],
    ['votingClose', e.votingCloseAt],
    ['declared', e.declaredAt],
  ];
  let resultHtml: Html | string = '';
  if (result) {
    const table = result.count ? roundTable(t, result.count) : null;
    const chart = result.count
      ? await lineChart({
          title: t('pages.elections.chart'),
          x: t('pages.elections.stage'),
          y: t('pages.elections.votes'),
          series: t('pages.elections.candidate'),
          points: result.count.rounds.flatMap((r) => Object.entries(r.votes).map(([n, v]) => ({ x: r.round, y: Number(v), series: n }))),
        })
      : '';
    resultHtml = html`<h2>${t('pages.elections.result')}</h2>
<ul>${result.winners.map((w) => html`<li>${t('pages.elections.elected', { name: w.name, seat: w.seatLabel })}</li>`)}</ul>
${result.unopposed ? '' : html`<p>${t('pages.elections.turnout', { ballots: result.ballots, electorate: result.electorate, turnout: result.turnout })}</p>`}
${table ? html`<h2>${t('pages.elections.rounds')}</h2><div class="chart-and-table">${chart}${tableHtml(table)}</div>` : ''}
<h2>${t('pages.elections.downloads')}</h2>
<ul><li><a href="${base}.blt" download>${t('pages.elections.blt')}</a></li><li><a href="${base}/ballots.csv" download>${t('pages.elections.csv')}</a></li>${result.count ? html`<li><a href="${base}/summary.json">${t('pages.elections.tabulator')}</a></li>` : ''}</ul>
<h2>${t('pages.elections.ballots')}</h2>
<p>${t('pages.elections.ballotsIntro')}</p>
${d.total > d.ballots.length ? html`<p>${t('pages.elections.more', { shown: d.ballots.length, total: d.total })}</p>` : ''}
<div class="table-wrap" role="region" tabindex="0" aria-label="${t('pages.elections.ballots')}"><table class="ballots"><thead><tr><th scope="col">${t('pages.elections.receiptHash')}</th><th scope="col">${t('pages.elections.preferences')}</th></tr></thead>
<tbody>${d.ballots.map((b) => html`<tr><th scope="row"><code>${b.slot.slice(0, 16)}</code></th><td>${b.ranking.map((id) => names.get(id) ?? '?').join(' › ')}</td></tr>`)}</tbody></table></div>`;
  }
  return page(ctx, {
    forum,
    section: 'elections',
    title: e.title,
    body: html`<p>${d.partnership} · ${t(`elections.phase.${e.phase}`)} · ${t('pages.elections.method')}: ${t(`elections.method.${e.method as CountMethod}`)}</p>
<h2>${t('pages.elections.timeline')}</h2>
<dl class="timeline">${timeline.filter(([, at]) => at).map(([k, at]) => html`<div><dt>${t(`pages.elections.${k}`)}</dt><dd><time datetime="${at!.toISOString()}">${when(at!)}</time></dd></div>`)}</dl>
<h2>${t('pages.elections.candidates')}</h2>
<ul class="candidates">${d.candidates.filter((c) => !c.isRon).map((c) => html`<li><strong>${c.name}</strong>${c.statement ? html`<p>${c.statement}</p>` : ''}</li>`)}</ul>
${resultHtml}
${check ?? ''}`,
  });
}

/** Every ballot, as the BLT file the counter reads (the same as `election export`). */
export const electionBlt = (db: Db, e: Election) => exportBlt(db, e);

/** Every ballot as CSV rows: receipt hash, then the candidates in preference order. */
export async function ballotRows(db: Db, d: ElectionData) {
  const names = new Map(d.candidates.map((c) => [c.id, c.isRon ? 'RON' : c.name]));
  const all = await db.electionBallot.findMany({ where: { electionId: d.e.id }, orderBy: { slot: 'asc' }, select: { slot: true, ranking: true } });
  const width = Math.max(1, ...all.map((b) => b.ranking.length));
  return {
    columns: ['receiptHash', ...Array.from({ length: width }, (_, i) => `preference${i + 1}`)],
    rows: all.map((b) => [b.slot, ...Array.from({ length: width }, (_, i) => names.get(b.ranking[i]) ?? null)]),
  };
}

export function electionSummary(d: ElectionData, forumName: string) {
  if (!d.result?.count) return null;
  return tabulatorSummary(d.result.count, { title: d.e.title, date: (d.e.declaredAt ?? d.e.votingCloseAt).toISOString().slice(0, 10), jurisdiction: forumName, office: d.partnership });
}
