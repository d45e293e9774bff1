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
 * Counts a parsed election by the given method (default Scottish STV).
 * @throws CountError when the method cannot count this election (e.g. AV with several seats).
 */
export function countElection(election: ParsedElection, method: CountMethod = 'scottish-stv', options: CountOptions = {}): CountResult {
  const counter = COUNTERS[method];
  if (!counter) throw new CountError(`unknown counting method "${method}": use one of ${COUNT_METHODS.join(', ')}`);
  return counter(election, options);
}
