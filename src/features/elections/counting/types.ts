/** The counting methods this module implements. */
export type CountMethod = 'scottish-stv' | 'meek-stv' | 'av' | 'fptp' | 'block';

/** Every method's name, for validating user input. */
export const COUNT_METHODS: readonly CountMethod[] = ['scottish-stv', 'meek-stv', 'av', 'fptp', 'block'];

/** One stage of a count: what was done, and where every candidate stood afterwards. */
export interface CountRound {
  round: number;
  action: 'first' | 'surplus' | 'exclusion';
  /** The candidate whose surplus was transferred or who was excluded. */
  candidate?: string;
  /** Scottish STV: the value given to a paper of value 1 by this surplus transfer. */
  transferValue?: string;
  votes: Record<string, string | number>;
  nonTransferable: string | number;
  /** Scottish STV: cumulative value lost by truncating transfer values to five decimals. */
  truncationLoss?: string;
  /** Candidates elected at the end of this round, in order of election. */
  elected: string[];
  excluded: string[];
}

/** How a tie was broken, so that anyone can check or repeat it. */
export interface TieBreak {
  round: number;
  purpose: 'surplus' | 'exclusion' | 'election';
  candidates: string[];
  resolvedBy: 'earlier-round' | 'lot';
  chosen: string;
  /** For `earlier-round`: the round whose totals decided it. */
  decidingRound?: number;
  /** For `lot`: the seed and the draw's position in the sequence (1 = first draw). */
  seed?: string;
  draw?: number;
}

/** The result of any count; STV votes are strings with fixed decimals, others whole numbers. */
export interface CountResult {
  method: CountMethod;
  seats: number;
  /** The number of valid ballot papers. */
  ballots: number;
  quota: number | string | null;
  elected: { name: string; votes: string | number }[];
  rounds: CountRound[];
  tieBreaks: TieBreak[];
  /** The seed of the lot draws, recorded even when no lot was needed. */
  seed: string;
}

/** Options shared by every method. */
export interface CountOptions {
  /** Seed for drawing lots; any string. Defaults to {@link DEFAULT_SEED}. */
  seed?: string;
}

/** The seed used when none is given, so that an unseeded count is still repeatable. */
export const DEFAULT_SEED = 'forumbot';

/** A count that cannot be run as asked, such as AV with more than one seat. */
export class CountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CountError';
  }
}
