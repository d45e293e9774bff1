/**
 * Scottish STV: The Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1,
 * rules 45–52, as used for Scottish council elections since 2007.
 *
 * - Quota (rule 46): floor(valid papers / (seats + 1)) + 1.
 * - A candidate with at least the quota is deemed elected (rule 47).
 * - Surplus (rule 48): *all* papers the candidate holds are transferred, each at
 *   surplus × (value of that paper when received) / (candidate's total), "calculated to five
 *   decimal places (any remainder being ignored)" — truncated per paper.
 * - Rule 49: the highest surplus is transferred first. Equal surpluses: the candidate with more
 *   votes "at the end of the most recent preceding stage at which they had unequal numbers of
 *   votes" goes first; equal at all stages: lot. (The Order looks back to the most *recent*
 *   differing stage, not the earliest, and gives no priority to older surpluses.)
 * - Rule 50: when no surplus is left to transfer, the candidate with the fewest votes is
 *   excluded and all their papers pass on at the value each had when received.
 * - Rule 51: equal lowest: fewest at the most recent preceding stage at which they differed;
 *   equal at all stages: lot.
 * - Rule 52: once continuing candidates are no more than the vacancies, they are elected and
 *   no further transfer is made.
 *
 * All arithmetic is in integer units of 1/100000 of a vote, so there is no rounding drift.
 * Non-transferable is the value of papers with no next preference (at the value they would have
 * carried); what truncation of transfer values loses is kept apart as `truncationLoss`, so every
 * stage's totals + non-transferable + truncation loss add up exactly to the valid papers.
 */
import type { ParsedElection } from './blt.ts';
import { Lot, breakTie, formatFixed, mulDivFloor, packedBallots, type TieContext } from './common.ts';
import { DEFAULT_SEED, type CountOptions, type CountResult, type CountRound, type TieBreak } from './types.ts';

const UNIT = 100_000;
const CONTINUING = 0;
const ELECTED = 1;
const EXCLUDED = 2;

/** Counts an election under the Scottish STV rules; see the module comment for the rules. */
export function countScottishStv(election: ParsedElection, options: CountOptions = {}): CountResult {
  const names = election.candidates;
  const n = names.length;
  const seats = election.seats;
  const { weights, flat, start, groups, valid } = packedBallots(election);
  const quota = Math.floor(valid / (seats + 1)) + 1;
  const quotaUnits = quota * UNIT;
  const lot = new Lot(options.seed ?? DEFAULT_SEED);
  const tieBreaks: TieBreak[] = [];

  const status = new Uint8Array(n);
  for (const c of election.withdrawn) status[c] = EXCLUDED;
  const total = new Array<number>(n).fill(0);
  // Each candidate's papers as a linked list through `next`, so moving a group allocates nothing.
  const head = new Int32Array(n).fill(-1);
  const next = new Int32Array(groups);
  const value = new Int32Array(groups).fill(UNIT);
  const pos = start.slice(0, groups);
  const surplusDone = new Uint8Array(n);
  const history: number[][] = [];
  const rounds: CountRound[] = [];
  const elected: { name: string; votes: string }[] = [];
  let nonTransferable = 0;
  let truncationLoss = 0;

  for (let g = 0; g < groups; g++) {
    const first = flat[start[g]];
    next[g] = head[first];
    head[first] = g;
    total[first] += weights[g] * UNIT;
  }

  /** Moves group g on to its next continuing preference; returns the candidate or -1. */
  const advance = (g: number): number => {
    const stop = start[g + 1];
    let i = pos[g] + 1;
    while (i < stop && status[flat[i]] !== CONTINUING) i++;
    pos[g] = i;
    return i < stop ? flat[i] : -1;
  };

  const context = (purpose: TieBreak['purpose']): TieContext => ({
    round: rounds.length + 1,
    purpose,
    names,
    lot,
    tieBreaks,
  });

  const record = (action: CountRound['action'], candidate?: number, transferValue?: number): CountRound => {
    const votes: Record<string, string> = {};
    for (let c = 0; c < n; c++) if (!election.withdrawn.includes(c)) votes[names[c]] = formatFixed(total[c]);
    const round: CountRound = {
      round: rounds.length + 1,
      action,
      votes,
      nonTransferable: formatFixed(nonTransferable),
      truncationLoss: formatFixed(truncationLoss),
      elected: [],
      excluded: [],
    };
    if (candidate !== undefined) round.candidate = names[candidate];
    if (transferValue !== undefined) round.transferValue = formatFixed(transferValue);
    if (action === 'exclusion' && candidate !== undefined) round.excluded.push(names[candidate]);
    rounds.push(round);
    history.push(total.slice());
    return round;
  };

  const elect = (c: number, round: CountRound): void => {
    status[c] = ELECTED;
    round.elected.push(names[c]);
    elected.push({ name: names[c], votes: formatFixed(total[c]) });
  };

  const electQuotaReachers = (round: CountRound): void => {
    const reached: number[] = [];
    for (let c = 0; c < n; c++) if (status[c] === CONTINUING && total[c] >= quotaUnits) reached.push(c);
    reached.sort((a, b) => total[b] - total[a] || a - b);
    for (const c of reached) elect(c, round);
  };

  let round = record('first');
  electQuotaReachers(round);

  for (;;) {
    const vacancies = seats - elected.length;
    if (vacancies <= 0) break;
    const continuing: number[] = [];
    for (let c = 0; c < n; c++) if (status[c] === CONTINUING) continuing.push(c);
    if (continuing.length <= vacancies) {
      // Rule 52: elect the rest, in order of votes, without further transfers.
      continuing.sort((a, b) => total[b] - total[a] || a - b);
      for (const c of continuing) elect(c, round);
      break;
    }

    let highest = -1;
    let pending: number[] = [];
    for (let c = 0; c < n; c++) {
      if (status[c] !== ELECTED || surplusDone[c] || total[c] <= quotaUnits) continue;
      if (total[c] > highest) {
        highest = total[c];
        pending = [c];
      } else if (total[c] === highest) pending.push(c);
    }

    if (pending.length > 0) {
      const from = pending.length === 1 ? pending[0] : breakTie(pending, history.slice(0, -1), 'highest', context('surplus'));
      surplusDone[from] = 1;
      const held = total[from];
      const surplus = held - quotaUnits;
      const unitValue = mulDivFloor(surplus, UNIT, held);
      let transferred = 0;
      let exhausted = 0;
      for (let g = head[from], following = 0; g !== -1; g = following) {
        following = next[g];
        const to = advance(g);
        const v = value[g] === UNIT ? unitValue : mulDivFloor(surplus, value[g], held);
        value[g] = v;
        const amount = weights[g] * v;
        if (to < 0) exhausted += amount;
        else {
          next[g] = head[to];
          head[to] = g;
          total[to] += amount;
          transferred += amount;
        }
      }
      head[from] = -1;
      total[from] = quotaUnits;
      nonTransferable += exhausted;
      truncationLoss += surplus - transferred - exhausted;
      round = record('surplus', from, unitValue);
    } else {
      let lowest = Infinity;
      let tied: number[] = [];
      for (const c of continuing) {
        if (total[c] < lowest) {
          lowest = total[c];
          tied = [c];
        } else if (total[c] === lowest) tied.push(c);
      }
      const out = tied.length === 1 ? tied[0] : breakTie(tied, history.slice(0, -1), 'lowest', context('exclusion'));
      status[out] = EXCLUDED;
      for (let g = head[out], following = 0; g !== -1; g = following) {
        following = next[g];
        const to = advance(g);
        const amount = weights[g] * value[g];
        if (to < 0) nonTransferable += amount;
        else {
          next[g] = head[to];
          head[to] = g;
          total[to] += amount;
        }
      }
      head[out] = -1;
      total[out] = 0;
      round = record('exclusion', out);
    }
    electQuotaReachers(round);
  }

  return { method: 'scottish-stv', seats, ballots: valid, quota, elected, rounds, tieBreaks, seed: lot.seed };
}
