import type { BotServices } from '../../core/context.ts';
import type { Tx } from '../../db/client.ts';
import { formatDate, type Locale, type Translate } from '../../core/i18n.ts';
import type { Block, OutgoingMessage, Table } from '../../core/messages.ts';
import { tableText } from '../../core/table-text.ts';
import type { Candidate, Election } from '../../generated/prisma/client.ts';
import type { CountResult } from './counting/index.ts';
import type { DeclaredResult } from './counting.service.ts';
import { RON_NAME } from './elections.service.ts';
import type { CountMethod } from './counting/types.ts';

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

/**
 * Tells the forum's channels (and members who take direct messages) about a phase change; with
 * `tx`, recorded in the transaction that makes the change.
 */
export async function announce(services: BotServices, e: Election, a: Announcement, stamp: number | string = '', tx?: Tx): Promise<void> {
  await services.broadcasts.broadcast(e.forumId, `election-${a.kind.toLowerCase()}`, (t, locale) => render(t, locale, e, a), {
    dedupeKey: `election:${e.id}:${a.kind}:${stamp}`,
    tx,
  });
}

function render(t: Translate, locale: Locale, e: Election, a: Announcement): OutgoingMessage {
  const date = (d: Date) => formatDate(d, locale, true);
  const title = quoteTitle(e.title);
  switch (a.kind) {
    case 'NOMINATIONS': {
      const text = t('elections.announce.nominations', {
        title: e.title, partnership: a.partnership, seats: a.seats.join(', '), method: t(`elections.method.${e.method as CountMethod}`), closes: date(e.nominationsCloseAt), ref: title,
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
    lines.push('', tableText(table));
    blocks.push({ type: 'table', table });
  }
  lines.push(t('elections.result.check', { ref: quoteTitle(e.title) }));
  return msg(lines.join('\n'), blocks);
}

/** Rows: candidates; columns: the stages of the count, each headed by what happened at it. */
export function roundTable(t: Translate, c: CountResult): Table {
  const names = Object.keys(c.rounds[0]?.votes ?? {});
  const label = (n: string) => candidateLabel(t, n);
  const stage = (r: CountResult['rounds'][number]) =>
    `${r.round}: ${r.action === 'first' ? t('elections.table.first') : `${r.action === 'surplus' ? '+' : '−'}${label(r.candidate ?? '')}`}`;
  const notes = c.tieBreaks.map((tb) =>
    t(tb.resolvedBy === 'lot' ? 'elections.table.tieLot' : 'elections.table.tieEarlier', { round: tb.round, chosen: label(tb.chosen), seed: tb.seed ?? '', decided: tb.decidingRound ?? '' }),
  );
  return {
    caption: t('elections.table.quota', { quota: String(c.quota ?? '-'), ballots: c.ballots }),
    columns: [{ label: t('elections.table.candidate') }, ...c.rounds.map((r) => ({ label: `${t('elections.table.round')} ${stage(r)}`, align: 'right' as const }))],
    rows: [
      ...names.map((n) => [label(n), ...c.rounds.map((r) => String(r.votes[n]))]),
      [t('elections.table.nonTransferable'), ...c.rounds.map((r) => String(r.nonTransferable))],
    ],
    notes,
  };
}
