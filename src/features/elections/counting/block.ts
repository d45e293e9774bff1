/**
 * Block vote: each paper gives one vote to each of its first `seats` preferences (withdrawn
 * candidates skipped); the `seats` candidates with the most votes win, a tie at the cut-off
 * going to the recorded lot.
 */
import type { ParsedElection } from './blt.ts';
import { prepareBallots } from './common.ts';
import { tally } from './fptp.ts';
import type { CountOptions, CountResult } from './types.ts';

/** Counts a block vote; votes are whole numbers. */
export function countBlock(election: ParsedElection, options: CountOptions = {}): CountResult {
  const { weights, prefs, valid } = prepareBallots(election);
  const total = new Array<number>(election.candidates.length).fill(0);
  for (let g = 0; g < prefs.length; g++) {
    const p = prefs[g];
    const used = Math.min(p.length, election.seats);
    for (let i = 0; i < used; i++) total[p[i]] += weights[g];
  }
  return tally('block', election, total, valid, 0, options);
}
