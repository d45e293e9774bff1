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
import { ballotSlot, normaliseReceipt } from './secrecy.ts';

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
  const [candidates, partnership, ballots, total, log] = await Promise.all([
    standingCandidates(db, e),
    db.partnership.findUnique({ where: { id: e.partnershipId }, select: { name: true } }),
    declared ? db.electionBallot.findMany({ where: { electionId: e.id }, orderBy: { slot: 'asc' }, take: BALLOTS_SHOWN, select: { slot: true, ranking: true } }) : [],
    declared ? db.electionBallot.count({ where: { electionId: e.id } }) : 0,
    db.electionLog.findMany({ where: { electionId: e.id }, orderBy: { at: 'asc' } }),
  ]);
  return { e, candidates, partnership: partnership?.name ?? '', ballots, total, log, result: declared ? (e.result as unknown as DeclaredResult) : null };
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
${d.log.length ? html`<h3>${t('pages.elections.log')}</h3><ul class="log">${d.log.map((l) => html`<li><time datetime="${l.at.toISOString()}">${when(l.at)}</time>: ${t('pages.elections.logAdvance', { from: t(`elections.phase.${l.fromPhase}`), to: t(`elections.phase.${l.toPhase}`) })}</li>`)}</ul>` : ''}
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

/**
 * The public receipt check: a voter types the receipt code they were given (or the published hash
 * of their ballot) and sees the ballot counted under it, and nothing else. From a code, the slot
 * is recomputed for every entry of the roll (all of them, whichever matches, so the time taken
 * says nothing) and looked up among the published ballots; which entry matched is never shown,
 * kept or logged. Only once the result is declared, when the ballots are public anyway.
 */
export async function receiptCheck(ctx: PageContext, db: Db, d: ElectionData, input: string | undefined): Promise<Html> {
  const { t } = ctx;
  const typed = (input ?? '').trim().slice(0, 80);
  let answer: Html | string = '';
  if (typed && !d.result) answer = html`<p role="status">${t('pages.elections.checkLater')}</p>`;
  else if (typed) {
    const found = await findBallot(db, d, typed);
    if (found === 'malformed') answer = html`<p role="status" class="overdue">${t('pages.elections.badReceipt')}</p>`;
    else if (!found) answer = html`<p role="status">${t('pages.elections.notFound')}</p>`;
    else {
      const names = new Map(d.candidates.map((c) => [c.id, candidateName(t, c)]));
      answer = html`<div role="status"><p>${t('pages.elections.counted', { preferences: found.ranking.map((id) => names.get(id) ?? '?').join(' › ') })}</p><p>${t('pages.elections.receiptHash')}: <code>${found.slot.slice(0, 16)}</code></p></div>`;
    }
  }
  return html`<section id="check" aria-labelledby="check-h"><h2 id="check-h">${t('pages.elections.check')}</h2>
<p>${t('pages.elections.checkIntro')}</p>
<form class="search" method="get" action="${ctx.path}#check">
${ctx.explicit ? html`<input type="hidden" name="lang" value="${ctx.locale}">` : ''}
<div><label for="receipt">${t('pages.elections.receipt')}</label><input id="receipt" name="receipt" autocomplete="off" spellcheck="false" maxlength="80" value="${typed}" aria-describedby="receipt-hint"><p id="receipt-hint" class="meta">${t('pages.elections.receiptHint')}</p></div>
<div><button type="submit">${t('pages.elections.checkButton')}</button></div>
</form>
${answer}</section>`;
}

/** The published ballot a receipt code (or its published hash, 16 to 64 hex digits) stands for; 'malformed' when it is neither. */
async function findBallot(db: Db, d: ElectionData, typed: string): Promise<{ slot: string; ranking: string[] } | null | 'malformed'> {
  const hash = typed.toLowerCase().replace(/[\s….]/g, '');
  if (/^[0-9a-f]{16,64}$/.test(hash)) {
    const rows = await db.electionBallot.findMany({ where: { electionId: d.e.id, slot: { startsWith: hash } }, take: 2, select: { slot: true, ranking: true } });
    return rows.length === 1 ? rows[0] : null;
  }
  const receipt = normaliseReceipt(typed);
  if (!receipt) return 'malformed';
  const roll = await db.electionRoll.findMany({ where: { electionId: d.e.id }, select: { voterKey: true } });
  const slots = roll.map((r) => ballotSlot(receipt, d.e.id, r.voterKey));
  for (let i = 0; i < slots.length; i += 5000) {
    const hit = await db.electionBallot.findFirst({ where: { electionId: d.e.id, slot: { in: slots.slice(i, i + 5000) } }, select: { slot: true, ranking: true } });
    if (hit) return hit;
  }
  return null;
}
