/**
 * Vote counting for forumbot elections: BLT files in and out, and five counting methods with
 * one result shape. Pure functions: no database, no I/O.
 */
import { countAv } from './av.ts';
import { countBlock } from './block.ts';
import type { ParsedElection } from './blt.ts';
import { countFptp } from './fptp.ts';
import { countMeekStv } from './meek-stv.ts';
import { countScottishStv } from './scottish-stv.ts';
import { COUNT_METHODS, CountError, type CountMethod, type CountOptions, type CountResult } from './types.ts';

export { BltSyntaxError, parseBlt, toBlt, type BallotGroup, type ParsedElection } from './blt.ts';
export { countAv, countBlock, countFptp, countMeekStv, countScottishStv };
export * from './types.ts';

const COUNTERS: Record<CountMethod, (election: ParsedElection, options?: CountOptions) => CountResult> = {
  'scottish-stv': countScottishStv,
  'meek-stv': countMeekStv,
  av: countAv,
  fptp: countFptp,
  block: countBlock,
};

/** Whether `name` is one of {@link COUNT_METHODS}. */
export function isCountMethod(name: string): name is CountMethod {
  return (COUNT_METHODS as readonly string[]).includes(name);
}

/**
 * The most votes (the sum of the ballot weights) each method counts exactly. Scottish STV holds
 * votes as whole units of 10^-5 in doubles, exact up to 2^53 units; Meek compares totals at
 * 10^-9 of a vote; the others add whole votes. Past these a count could be silently wrong in its
 * last decimals, so it is refused instead.
 */
export const EXACT_VOTES: Record<CountMethod, number> = {
  'scottish-stv': Math.floor(Number.MAX_SAFE_INTEGER / 100_000),
  'meek-stv': Math.floor(Number.MAX_SAFE_INTEGER / 1e9),
  av: Number.MAX_SAFE_INTEGER,
  fptp: Number.MAX_SAFE_INTEGER,
  block: Number.MAX_SAFE_INTEGER,
};

/**
 * Counts a parsed election by the given method (default Scottish STV).
 * @throws CountError when the method cannot count this election: AV with several seats, fewer
 *   candidates left after withdrawals than seats, or more votes than it counts exactly.
 */
export function countElection(election: ParsedElection, method: CountMethod = 'scottish-stv', options: CountOptions = {}): CountResult {
  const counter = COUNTERS[method];
  if (!counter) throw new CountError(`unknown counting method "${method}": use one of ${COUNT_METHODS.join(', ')}`);
  const standing = election.candidates.length - election.withdrawn.length;
  if (standing < election.seats) {
    const withdrawn = election.withdrawn.length;
    throw new CountError(
      `${election.seats} seat${election.seats === 1 ? '' : 's'} but only ${standing} candidate${standing === 1 ? '' : 's'} left after ${withdrawn} withdrawal${withdrawn === 1 ? '' : 's'}: reopen nominations or fill fewer seats`,
    );
  }
  let total = 0;
  const weights = election.packed?.weights ?? election.ballots.map((b) => b.weight);
  for (const weight of weights) {
    if (!Number.isSafeInteger(weight)) throw new CountError(`a ballot weight of ${weight} is too large to count exactly`);
    total += weight;
  }
  if (total > EXACT_VOTES[method]) {
    throw new CountError(`the ballots carry ${total.toLocaleString('en-GB')} votes in all, more than ${method} counts exactly (${EXACT_VOTES[method].toLocaleString('en-GB')}): lower the weights`);
  }
  return counter(election, options);
}
