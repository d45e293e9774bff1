/**
 * First past the post: only first preferences count; the `seats` candidates with the most win.
 * A tie across the last winning place is decided by the recorded lot.
 */
import type { ParsedElection } from './blt.ts';
import { Lot, prepareBallots, topByVotes } from './common.ts';
import { DEFAULT_SEED, type CountOptions, type CountResult, type TieBreak } from './types.ts';

/** Counts first preferences only; votes are whole numbers. */
export function countFptp(election: ParsedElection, options: CountOptions = {}): CountResult {
  const names = election.candidates;
  const { weights, prefs, valid } = prepareBallots(election);
  const total = new Array<number>(names.length).fill(0);
  for (let g = 0; g < prefs.length; g++) total[prefs[g][0]] += weights[g];
  return tally('fptp', election, total, valid, 0, options);
}

/**
 * Shared by FPTP and the block vote: one round of totals, winners by votes, lot for a tie at
 * the cut-off.
 */
export function tally(
  method: 'fptp' | 'block',
  election: ParsedElection,
  total: number[],
  valid: number,
  nonTransferable: number,
  options: CountOptions,
): CountResult {
  const names = election.candidates;
  const lot = new Lot(options.seed ?? DEFAULT_SEED);
  const tieBreaks: TieBreak[] = [];
  const standing = names.map((_, c) => c).filter((c) => !election.withdrawn.includes(c));
  const winners = topByVotes(standing, total, election.seats, { round: 1, purpose: 'election', names, lot, tieBreaks });
  const votes: Record<string, number> = {};
  for (const c of standing) votes[names[c]] = total[c];
  return {
    method,
    seats: election.seats,
    ballots: valid,
    quota: null,
    elected: winners.map((c) => ({ name: names[c], votes: total[c] })),
    rounds: [{ round: 1, action: 'first', votes, nonTransferable, elected: winners.map((c) => names[c]), excluded: [] }],
    tieBreaks,
    seed: lot.seed,
  };
}
