/**
 * Meek STV (Hill, Wichmann & Woodall, 1987): every candidate has a keep factor — 1 while
 * hopeful, 0 once excluded, and for the elected the fraction of each vote reaching them that
 * they keep. A ballot gives each candidate in turn its remaining value times their keep factor
 * and passes on the rest. Keep factors of the elected are scaled by quota / votes until every
 * elected candidate's votes are within the tolerance of the quota, which is recomputed at each
 * iteration as (valid votes − excess) / (seats + 1), excess being value no candidate kept.
 * A hopeful is elected only when their votes exceed the quota (as Hill, Wichmann and Woodall's
 * algorithm and Droop's Meek rule do), so candidates exactly at the quota are still tied and the
 * tie is broken, and recorded, like any other. When no hopeful exceeds the quota the lowest
 * hopeful is excluded; ties are broken as in Scottish STV (most recent round at which they
 * differed, then lot). When an exclusion leaves no more hopefuls than seats, their votes are
 * transferred once, with the keep factors as they stand, and they are elected.
 */
import type { ParsedElection } from './blt.ts';
import { Lot, breakTie, prepareBallots, topByVotes, type TieContext } from './common.ts';
import { DEFAULT_SEED, type CountOptions, type CountResult, type CountRound, type TieBreak } from './types.ts';

const TOLERANCE = 0.00001;
const MAX_ITERATIONS = 10_000;
const HOPEFUL = 0;
const ELECTED = 1;
const EXCLUDED = 2;

function fixed5(v: number): string {
  return (Math.round(v * 1e5) / 1e5).toFixed(5);
}

/** Counts an election by Meek STV; votes are reported to five decimals. */
export function countMeekStv(election: ParsedElection, options: CountOptions = {}): CountResult {
  const names = election.candidates;
  const n = names.length;
  const seats = election.seats;
  const { weights, prefs, valid } = prepareBallots(election);
  const lot = new Lot(options.seed ?? DEFAULT_SEED);
  const tieBreaks: TieBreak[] = [];
  const status = new Uint8Array(n);
  const keep = new Float64Array(n).fill(1);
  for (const c of election.withdrawn) {
    status[c] = EXCLUDED;
    keep[c] = 0;
  }
  const votes = new Float64Array(n);
  let excess = 0;
  let quota = 0;

  const distribute = (): void => {
    votes.fill(0);
    excess = 0;
    for (let g = 0; g < prefs.length; g++) {
      const w = weights[g];
      const p = prefs[g];
      let rest = 1;
      for (let i = 0; i < p.length && rest > 0; i++) {
        const k = keep[p[i]];
        if (k === 0) continue;
        votes[p[i]] += w * rest * k;
        rest = k >= 1 ? 0 : rest * (1 - k);
      }
      excess += w * rest;
    }
    quota = (valid - excess) / (seats + 1);
  };

  /** More than the quota, compared at 10^-9 so that float noise cannot make or break a tie. */
  const exceeds = (v: number): boolean => Math.round(v * 1e9) > Math.round(quota * 1e9);

  /** Iterates keep factors; stops early when a hopeful exceeds the quota. */
  const converge = (): void => {
    for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      distribute();
      let off = 0;
      for (let c = 0; c < n; c++) {
        if (status[c] === HOPEFUL && exceeds(votes[c])) return;
        if (status[c] === ELECTED) off += Math.abs(votes[c] - quota);
      }
      if (off < TOLERANCE) return;
      for (let c = 0; c < n; c++) if (status[c] === ELECTED && votes[c] > 0) keep[c] = Math.min(1, (keep[c] * quota) / votes[c]);
    }
  };

  const rounds: CountRound[] = [];
  const history: number[][] = [];
  let action: CountRound['action'] = 'first';
  let subject: number | undefined;

  const order: number[] = [];
  const elect = (c: number, round: CountRound): void => {
    status[c] = ELECTED;
    round.elected.push(names[c]);
    order.push(c);
  };

  let last = false;
  for (;;) {
    if (last) {
      // the excluded candidate's votes move on once; the quota they were measured against stands
      const held = quota;
      distribute();
      quota = held;
    } else converge();
    const shown: Record<string, string> = {};
    for (let c = 0; c < n; c++) if (!election.withdrawn.includes(c)) shown[names[c]] = fixed5(votes[c]);
    const round: CountRound = { round: rounds.length + 1, action, votes: shown, nonTransferable: fixed5(excess), elected: [], excluded: [] };
    if (subject !== undefined) {
      round.candidate = names[subject];
      round.excluded.push(names[subject]);
    }
    rounds.push(round);
    // Rounded so that float noise cannot hide a genuine tie.
    history.push(Array.from(votes, (v) => Math.round(v * 1e9)));

    const hopeful: number[] = [];
    for (let c = 0; c < n; c++) if (status[c] === HOPEFUL) hopeful.push(c);
    const current = history[history.length - 1];
    const room = seats - order.length;
    if (last) {
      hopeful.sort((a, b) => votes[b] - votes[a] || a - b);
      for (const c of hopeful) elect(c, round);
      break;
    }
    const reached = hopeful.filter((c) => exceeds(votes[c]));
    const ctx = (purpose: TieBreak['purpose']): TieContext => ({ round: rounds.length, purpose, names, lot, tieBreaks });
    for (const c of topByVotes(reached, current, Math.min(room, reached.length), ctx('election'))) elect(c, round);
    if (order.length >= seats) break;
    const left = hopeful.filter((c) => status[c] === HOPEFUL);
    if (left.length <= seats - order.length) {
      left.sort((a, b) => votes[b] - votes[a] || a - b);
      for (const c of left) elect(c, round);
      break;
    }
    if (reached.length > 0) {
      action = 'surplus';
      subject = undefined;
      continue;
    }
    let lowest = Infinity;
    for (const c of left) lowest = Math.min(lowest, current[c]);
    const tied = left.filter((c) => current[c] === lowest);
    const exclusion: TieContext = { round: rounds.length + 1, purpose: 'exclusion', names, lot, tieBreaks };
    const out = tied.length === 1 ? tied[0] : breakTie(tied, history.slice(0, -1), 'lowest', exclusion);
    status[out] = EXCLUDED;
    keep[out] = 0;
    action = 'exclusion';
    subject = out;
    last = left.length - 1 <= seats - order.length;
  }

  // Keep factors go on changing after a candidate is elected, so (as Droop and OpenSTV report
  // Meek counts) an elected candidate's votes are those of the final round.
  const elected = order.map((c) => ({ name: names[c], votes: fixed5(votes[c]) }));
  return { method: 'meek-stv', seats, ballots: valid, quota: fixed5(quota), elected, rounds, tieBreaks, seed: lot.seed };
}
