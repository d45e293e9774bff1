import type { ParsedElection } from './blt.ts';
import type { TieBreak } from './types.ts';

/** Ballots ready for counting: withdrawn candidates removed, blank papers dropped. */
export interface PreparedBallots {
  weights: number[];
  prefs: number[][];
  /** The number of valid papers (the sum of the weights). */
  valid: number;
}

/**
 * All rankings laid end to end: group g ranks `flat[start[g]]` … `flat[start[g + 1] - 1]`.
 * Counting walks these far more often than anything else; one typed array keeps it cache-friendly.
 */
export function flattenPrefs(prefs: number[][]): { flat: Int32Array; start: Int32Array } {
  const start = new Int32Array(prefs.length + 1);
  for (let g = 0; g < prefs.length; g++) start[g + 1] = start[g] + prefs[g].length;
  const flat = new Int32Array(start[prefs.length]);
  for (let g = 0; g < prefs.length; g++) flat.set(prefs[g], start[g]);
  return { flat, start };
}

/**
 * The ballots packed for counting: the parser's arrays as they are when nothing needs removing
 * (no withdrawn candidate, no blank paper), else {@link prepareBallots} flattened.
 */
export function packedBallots(election: ParsedElection): { weights: ArrayLike<number>; flat: Int32Array; start: Int32Array; groups: number; valid: number } {
  const p = election.packed;
  if (p && election.withdrawn.length === 0) {
    let valid = 0;
    let usable = true;
    for (let g = 0; g < p.weights.length; g++) {
      if (p.start[g + 1] === p.start[g] || p.weights[g] <= 0) usable = false;
      valid += p.weights[g];
    }
    if (usable) return { weights: p.weights, flat: p.flat, start: p.start, groups: p.weights.length, valid };
  }
  const { weights, prefs, valid } = prepareBallots(election);
  return { weights, ...flattenPrefs(prefs), groups: prefs.length, valid };
}

/** Strips withdrawn candidates from every ranking and drops papers left without a preference. */
export function prepareBallots(election: ParsedElection): PreparedBallots {
  const withdrawn = new Set(election.withdrawn);
  const weights: number[] = [];
  const prefs: number[][] = [];
  let valid = 0;
  for (const ballot of election.ballots) {
    if (ballot.weight <= 0) continue;
    const kept = withdrawn.size === 0 ? ballot.prefs : ballot.prefs.filter((p) => !withdrawn.has(p));
    if (kept.length === 0) continue;
    weights.push(ballot.weight);
    prefs.push(kept);
    valid += ballot.weight;
  }
  return { weights, prefs, valid };
}

/** FNV-1a over the UTF-16 code units: a stable 32-bit hash of the seed text. */
function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Drawing of lots from a seeded generator (mulberry32), so a count with ties can be
 * repeated by anyone holding the seed. Each call to {@link Lot.pick} is one recorded draw.
 */
export class Lot {
  readonly seed: string;
  private state: number;
  draws = 0;

  constructor(seed: string) {
    this.seed = seed;
    this.state = hashSeed(seed);
  }

  /** Returns an index in [0, n), uniformly. */
  pick(n: number): number {
    this.draws++;
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.floor(r * n);
  }
}

/** Where a tie is being broken, and where to record how. */
export interface TieContext {
  round: number;
  purpose: TieBreak['purpose'];
  names: string[];
  lot: Lot;
  tieBreaks: TieBreak[];
}

/**
 * Breaks a tie between candidates the way the Scottish order does (rules 49(2)–(3), 51(2)):
 * go back to the most recent preceding round at which their totals differed and take the
 * highest (`prefer: 'highest'`, surpluses) or lowest (exclusions); if still tied there, keep
 * looking further back among those still tied; if equal at every round, draw lots.
 * `history[i]` holds every candidate's total at the end of round i + 1, preceding rounds only.
 */
export function breakTie(
  tied: number[],
  history: ArrayLike<number>[],
  prefer: 'highest' | 'lowest',
  ctx: TieContext,
): number {
  let set = [...tied].sort((a, b) => a - b);
  const all = set.map((c) => ctx.names[c]);
  for (let r = history.length - 1; r >= 0 && set.length > 1; r--) {
    const totals = history[r];
    let extreme = totals[set[0]];
    let differ = false;
    for (const c of set) {
      const v = totals[c];
      if (v !== extreme) differ = true;
      if (prefer === 'highest' ? v > extreme : v < extreme) extreme = v;
    }
    if (!differ) continue;
    set = set.filter((c) => totals[c] === extreme);
    if (set.length === 1) {
      ctx.tieBreaks.push({
        round: ctx.round,
        purpose: ctx.purpose,
        candidates: all,
        resolvedBy: 'earlier-round',
        chosen: ctx.names[set[0]],
        decidingRound: r + 1,
      });
      return set[0];
    }
  }
  const chosen = set[ctx.lot.pick(set.length)];
  ctx.tieBreaks.push({
    round: ctx.round,
    purpose: ctx.purpose,
    candidates: all,
    resolvedBy: 'lot',
    chosen: ctx.names[chosen],
    seed: ctx.lot.seed,
    draw: ctx.lot.draws,
  });
  return chosen;
}

/**
 * Picks `count` winners from candidates ranked by `votes` (higher first), drawing lots among
 * those tied across the cut-off. Returns winners in order of votes.
 */
export function topByVotes(candidates: number[], votes: ArrayLike<number>, count: number, ctx: TieContext): number[] {
  const sorted = [...candidates].sort((a, b) => votes[b] - votes[a] || a - b);
  if (sorted.length <= count) return sorted;
  const cut = votes[sorted[count - 1]];
  if (votes[sorted[count]] !== cut) return sorted.slice(0, count);
  const winners = sorted.filter((c) => votes[c] > cut);
  const tied = sorted.filter((c) => votes[c] === cut);
  while (winners.length < count) {
    const pick = breakTie(tied, [], 'highest', ctx);
    winners.push(pick);
    tied.splice(tied.indexOf(pick), 1);
  }
  return winners;
}

/** Exact floor(a * b / c) for non-negative safe integers, via BigInt only when a * b is unsafe. */
export function mulDivFloor(a: number, b: number, c: number): number {
  const p = a * b;
  if (p <= Number.MAX_SAFE_INTEGER) {
    let q = Math.floor(p / c);
    if (q * c > p) q--;
    else if ((q + 1) * c <= p) q++;
    return q;
  }
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/** Formats an amount held in units of 10^-places as a decimal string, e.g. 167573560 → "1675.73560". */
export function formatFixed(units: number, places = 5): string {
  const scale = 10 ** places;
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  const whole = Math.floor(abs / scale);
  const frac = String(abs - whole * scale).padStart(places, '0');
  return `${sign}${whole}.${frac}`;
}
