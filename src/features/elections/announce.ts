import type { BotServices } from '../../core/context.ts';
import { formatDate, type Locale, type Translate } from '../../core/i18n.ts';
import type { Block, OutgoingMessage } from '../../core/messages.ts';
import type { Candidate, Election } from '../../generated/prisma/client.ts';
import type { CountResult } from './counting/index.ts';
import type { DeclaredResult } from './counting.service.ts';
import { RON_NAME } from './elections.service.ts';

const msg = (text: string, blocks?: Block[]): OutgoingMessage => (blocks ? { text, blocks } : { text });
export const quoteTitle = (title: string) => (/\s/.test(title) ? `"${title}"` : title);
export const candidateName = (t: Translate, c: { name: string; isRon: boolean }) => (c.isRon ? t('elections.ron') : c.name);
export const candidateLabel = (t: Translate, name: string) => (name === RON_NAME ? t('elections.ron') : name);

export type Announcement =
  | { kind: 'NOMINATIONS'; seats: string[]; partnership: string }
  | { kind: 'NOMINATIONS_CLOSED'; candidates: Candidate[] }
  | { kind: 'VOTING'; candidates: Candidate[] }
  | { kind: 'REOPENED' }
  | { kind: 'EXTENDED' }
  | { kind: 'CANCELLED' }
  | { kind: 'DECLARED'; result: DeclaredResult };

/** Tells the forum's channels (and members who take direct messages) about a phase change. */
export async function announce(services: BotServices, e: Election, a: Announcement, stamp: number | string = ''): Promise<void> {
  await services.broadcasts.broadcast(e.forumId, `election-${a.kind.toLowerCase()}`, (t, locale) => render(t, locale, e, a), {
    dedupeKey: `election:${e.id}:${a.kind}:${stamp}`,
  });
}

function render(t: Translate, locale: Locale, e: Election, a: Announcement): OutgoingMessage {
  const date = (d: Date) => formatDate(d, locale, true);
  const title = quoteTitle(e.title);
  switch (a.kind) {
    case 'NOMINATIONS': {
      const text = t('elections.announce.nominations', {
        title: e.title, partnership: a.partnership, seats: a.seats.join(', '), method: t(`elections.method.${e.method}`), closes: date(e.nominationsCloseAt), ref: title,
      });
      const extra = e.seconderRequired ? `\n${t('elections.announce.seconder')}` : '';
      return msg(text + extra);
    }
    case 'NOMINATIONS_CLOSED':
      return msg(t('elections.announce.nominationsClosed', { title: e.title, candidates: a.candidates.map((c) => candidateName(t, c)).join(', '), opens: date(e.votingOpenAt) }));
    case 'VOTING':
      return msg(t('elections.announce.voting', { title: e.title, candidates: a.candidates.map((c) => candidateName(t, c)).join(', '), closes: date(e.votingCloseAt), ref: title }));
    case 'REOPENED':
      return msg(t('elections.announce.reopened', { title: e.title, closes: date(e.nominationsCloseAt), ref: title }));
    case 'EXTENDED':
      return msg(t('elections.announce.extended', { title: e.title, nominations: date(e.nominationsCloseAt), closes: date(e.votingCloseAt) }));
    case 'CANCELLED':
      return msg(t('elections.announce.cancelled', { title: e.title, reason: e.cancelReason ?? '' }));
    case 'DECLARED':
      return resultMessage(t, locale, e, a.result);
  }
}

/** The declaration: winners, votes, turnout, and for STV the round table. */
export function resultMessage(t: Translate, locale: Locale, e: Election, r: DeclaredResult): OutgoingMessage {
  const title = t('elections.result.title', { title: e.title });
  const winners = r.winners.map((w) => t('elections.result.winner', { name: w.name, seat: w.seatLabel, votes: String(w.votes), until: formatDate(new Date(w.endsOn), locale) }));
  const lines = [title];
  if (r.unopposed) lines.push(t('elections.result.unopposed'));
  lines.push(...winners);
  if (r.ronSeats.length) lines.push(t('elections.result.ron', { seats: r.ronSeats.join(', ') }));
  if (!r.unopposed) lines.push(t('elections.result.turnout', { ballots: r.ballots, electorate: r.electorate, turnout: r.turnout }));
  const blocks: Block[] = [{ type: 'header', text: title }, { type: 'section', text: lines.slice(1).join('\n') }];
  if (r.count) {
    const table = roundTable(t, r.count);
    lines.push('', table);
    blocks.push({ type: 'section', text: '```\n' + table + '\n```' });
  }
  lines.push(t('elections.result.check', { ref: quoteTitle(e.title) }));
  return msg(lines.join('\n'), blocks);
}

/** Rows: candidates; columns: the rounds of the count. */
export function roundTable(t: Translate, c: CountResult): string {
  const names = Object.keys(c.rounds[0]?.votes ?? {});
  const label = (n: string) => candidateLabel(t, n);
  const width = Math.max(12, ...names.map((n) => label(n).length), t('elections.table.nonTransferable').length);
  const cols = c.rounds.map((r) => Math.max(9, ...names.map((n) => String(r.votes[n]).length)));
  const row = (first: string, cells: string[]) => [first.padEnd(width), ...cells.map((x, i) => x.padStart(cols[i]))].join(' ');
  const out = [t('elections.table.quota', { quota: String(c.quota ?? '-'), ballots: c.ballots })];
  out.push(row(t('elections.table.round'), c.rounds.map((r) => String(r.round))));
  out.push(row('', c.rounds.map((r) => (r.action === 'first' ? t('elections.table.first') : `${r.action === 'surplus' ? '+' : '−'}${label(r.candidate ?? '').slice(0, cols[r.round - 1] - 1)}`))));
  for (const n of names) out.push(row(label(n), c.rounds.map((r) => String(r.votes[n]))));
  out.push(row(t('elections.table.nonTransferable'), c.rounds.map((r) => String(r.nonTransferable))));
  for (const tb of c.tieBreaks) {
    out.push(t(tb.resolvedBy === 'lot' ? 'elections.table.tieLot' : 'elections.table.tieEarlier', { round: tb.round, chosen: label(tb.chosen), seed: tb.seed ?? '', decided: tb.decidingRound ?? '' }));
  }
  return out.join('\n');
}
