/**
 * The alternative vote (instant run-off) for one seat: each round every paper counts for its
 * highest-ranked continuing candidate; a candidate with more than half of the papers still in
 * play wins, otherwise the lowest is excluded and their papers move on. Ties for exclusion are
 * broken by the most recent round at which the tied candidates differed, then by lot.
 */
import type { ParsedElection } from './blt.ts';
import { Lot, breakTie, prepareBallots } from './common.ts';
import { CountError, DEFAULT_SEED, type CountOptions, type CountResult, type CountRound, type TieBreak } from './types.ts';

/** Counts a single-seat election by the alternative vote; votes are whole numbers. */
export function countAv(election: ParsedElection, options: CountOptions = {}): CountResult {
  if (election.seats !== 1) {
    throw new CountError(`the alternative vote fills one seat, but this election has ${election.seats}; use scottish-stv or meek-stv`);
  }
  const names = election.candidates;
  const n = names.length;
  const { weights, prefs, valid } = prepareBallots(election);
  const lot = new Lot(options.seed ?? DEFAULT_SEED);
  const tieBreaks: TieBreak[] = [];
  const out = new Uint8Array(n);
  for (const c of election.withdrawn) out[c] = 1;
  const total = new Array<number>(n).fill(0);
  const piles: number[][] = Array.from({ length: n }, () => []);
  const pos = new Int32Array(prefs.length);
  for (let g = 0; g < prefs.length; g++) {
    piles[prefs[g][0]].push(g);
    total[prefs[g][0]] += weights[g];
  }
  let exhausted = 0;
  const rounds: CountRound[] = [];
  const history: number[][] = [];
  let action: CountRound['action'] = 'first';
  let subject: number | undefined;
  let winner = -1;
  let active = valid;

  for (;;) {
    const votes: Record<string, number> = {};
    for (let c = 0; c < n; c++) if (!election.withdrawn.includes(c)) votes[names[c]] = total[c];
    const round: CountRound = { round: rounds.length + 1, action, votes, nonTransferable: exhausted, elected: [], excluded: [] };
    if (subject !== undefined) {
      round.candidate = names[subject];
      round.excluded.push(names[subject]);
    }
    rounds.push(round);
    history.push(total.slice());

    const continuing: number[] = [];
    for (let c = 0; c < n; c++) if (!out[c]) continuing.push(c);
    active = valid - exhausted;
    let top = continuing[0];
    for (const c of continuing) if (total[c] > total[top]) top = c;
    if (continuing.length === 1 || total[top] * 2 > active) {
      winner = top;
      round.elected.push(names[top]);
      break;
    }
    let lowest = Infinity;
    for (const c of continuing) lowest = Math.min(lowest, total[c]);
    const tied = continuing.filter((c) => total[c] === lowest);
    const loser =
      tied.length === 1
        ? tied[0]
        : breakTie(tied, history.slice(0, -1), 'lowest', { round: rounds.length + 1, purpose: 'exclusion', names, lot, tieBreaks });
    out[loser] = 1;
    for (const g of piles[loser]) {
      const p = prefs[g];
      let i = pos[g] + 1;
      while (i < p.length && out[p[i]]) i++;
      pos[g] = i;
      if (i < p.length) {
        piles[p[i]].push(g);
        total[p[i]] += weights[g];
      } else exhausted += weights[g];
    }
    piles[loser] = [];
    total[loser] = 0;
    action = 'exclusion';
    subject = loser;
  }

  return {
    method: 'av',
    seats: 1,
    ballots: valid,
    quota: Math.floor(active / 2) + 1,
    elected: [{ name: names[winner], votes: total[winner] }],
    rounds,
    tieBreaks,
    seed: lot.seed,
  };
}
