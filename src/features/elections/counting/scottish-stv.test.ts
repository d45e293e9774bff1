import { describe, expect, it } from 'vitest';
import { parseBlt } from './blt.ts';
import { Lot, breakTie, formatFixed, mulDivFloor, type TieContext } from './common.ts';
import { countScottishStv } from './scottish-stv.ts';
import type { CountResult } from './types.ts';

/** Builds a BLT election from `weight names…` lines, candidates named by single letters. */
function election(seats: number, candidates: string, lines: string[]) {
  const names = candidates.split('');
  const ballots = lines.map((l) => {
    const [weight, ranking] = l.split(' ');
    return `${weight} ${ranking.split('').map((c) => names.indexOf(c) + 1).join(' ')} 0`;
  });
  return parseBlt(`${names.length} ${seats}\n${ballots.join('\n')}\n0\n${names.map((n) => `"${n}"`).join('\n')}\n"test"\n`);
}

const units = (s: string | number): number => Math.round(Number(s) * 100000);

/** Every stage: candidates + non-transferable + truncation loss = valid papers, exactly. */
function expectBalanced(result: CountResult): void {
  for (const round of result.rounds) {
    const sum = Object.values(round.votes).reduce<number>((a, v) => a + units(v), 0);
    expect(sum + units(round.nonTransferable) + units(round.truncationLoss ?? 0), `round ${round.round}`).toBe(result.ballots * 100000);
  }
}

describe('countScottishStv', () => {
  it('uses the Droop quota and transfers a first-stage surplus at a truncated value', () => {
    const r = countScottishStv(election(2, 'ABC', ['6 AB', '3 B', '2 C']));
    expect(r.quota).toBe(4); // floor(11 / 3) + 1
    expect(r.rounds[1]).toMatchObject({ action: 'surplus', candidate: 'A', transferValue: '0.33333', truncationLoss: '0.00002' });
    expect(r.rounds[1].votes).toEqual({ A: '4.00000', B: '4.99998', C: '2.00000' });
    expect(r.elected).toEqual([
      { name: 'A', votes: '6.00000' },
      { name: 'B', votes: '4.99998' },
    ]);
    expectBalanced(r);
  });

  it('transfers all of a candidate’s papers, each at surplus × its value ÷ total (rule 48)', () => {
    // A's surplus puts B over quota with papers of two values; B's surplus then moves both kinds.
    const r = countScottishStv(election(3, 'ABCDE', ['20 ABC', '6 BD', '5 C', '5 D', '4 EC']));
    expect(r.quota).toBe(11);
    expect(r.rounds[1]).toMatchObject({ candidate: 'A', transferValue: '0.45000' });
    expect(r.rounds[1].votes.B).toBe('15.00000');
    // B: first preferences go at trunc(4/15) = 0.26666, A's papers at trunc(4 × 0.45 / 15) = 0.12.
    expect(r.rounds[2]).toMatchObject({ candidate: 'B', transferValue: '0.26666', truncationLoss: '0.00004' });
    expect(r.rounds[2].votes).toEqual({ A: '11.00000', B: '11.00000', C: '7.40000', D: '6.59996', E: '4.00000' });
    expect(r.rounds[3]).toMatchObject({ action: 'exclusion', candidate: 'E', elected: ['C'] });
    expect(r.elected.map((e) => [e.name, e.votes])).toEqual([
      ['A', '20.00000'],
      ['B', '15.00000'],
      ['C', '11.40000'],
    ]);
    expectBalanced(r);
  });

  it('transfers the highest surplus first, breaks an exclusion tie at the most recent differing stage, fills the last seats (rules 49, 51, 52)', () => {
    // Stage 1: C 0, D 2. Stage 2 (B's surplus): C 4, D 2. Stage 3 (A's surplus): C 4, D 4.
    // The most recent stage at which they differed is 2, where D was lower; the earliest (1)
    // would have excluded C instead.
    const r = countScottishStv(election(4, 'ABCDE', ['8 AD', '10 BC', '2 D', '5 E']));
    expect(r.quota).toBe(6);
    expect(r.rounds.map((x) => [x.action, x.candidate ?? ''])).toEqual([
      ['first', ''],
      ['surplus', 'B'],
      ['surplus', 'A'],
      ['exclusion', 'D'],
    ]);
    expect(r.tieBreaks).toEqual([
      { round: 4, purpose: 'exclusion', candidates: ['C', 'D'], resolvedBy: 'earlier-round', chosen: 'D', decidingRound: 2 },
    ]);
    expect(r.rounds[3].elected).toEqual(['E', 'C']);
    expect(r.rounds[3].nonTransferable).toBe('4.00000');
    expect(r.elected.map((e) => e.name)).toEqual(['B', 'A', 'E', 'C']);
    expectBalanced(r);
  });

  it('draws lots from the seed when candidates were equal at every stage, and records the draws', () => {
    const ballots = ['1 A', '1 B', '1 C'];
    const a = countScottishStv(election(1, 'ABC', ballots), { seed: 'test-seed' });
    const b = countScottishStv(election(1, 'ABC', ballots), { seed: 'test-seed' });
    expect(b).toEqual(a);
    expect(a.seed).toBe('test-seed');
    expect(a.tieBreaks).toHaveLength(2);
    expect(a.tieBreaks.map((t) => [t.resolvedBy, t.seed, t.draw, t.purpose])).toEqual([
      ['lot', 'test-seed', 1, 'exclusion'],
      ['lot', 'test-seed', 2, 'exclusion'],
    ]);
    expect(a.tieBreaks[0].candidates).toEqual(['A', 'B', 'C']);
    expect(a.elected).toHaveLength(1);
    const winners = new Set(['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'].map((seed) => countScottishStv(election(1, 'ABC', ballots), { seed }).elected[0].name));
    expect(winners.size).toBeGreaterThan(1);
  });

  it('decides the order of equal surpluses by lot when they were always equal (rule 49(3))', () => {
    const r = countScottishStv(election(3, 'ABCD', ['5 AC', '5 BD', '1 C', '2 D']), { seed: 'x' });
    expect(r.quota).toBe(4);
    expect(r.tieBreaks[0]).toMatchObject({ round: 2, purpose: 'surplus', candidates: ['A', 'B'], resolvedBy: 'lot', seed: 'x', draw: 1 });
    expect(r.rounds[1].candidate).toBe(r.tieBreaks[0].chosen);
    expectBalanced(r);
  });

  it('elects everyone when candidates do not outnumber seats, and skips withdrawn candidates', () => {
    const r = countScottishStv(parseBlt('3 2\n-2\n3 2 1 0\n1 3 0\n0\n"A"\n"B"\n"C"\n"t"\n'));
    expect(r.ballots).toBe(4);
    expect(Object.keys(r.rounds[0].votes)).toEqual(['A', 'C']);
    expect(r.elected).toEqual([
      { name: 'A', votes: '3.00000' },
      { name: 'C', votes: '1.00000' },
    ]);
  });

  it('ignores papers with no preference for a standing candidate', () => {
    const r = countScottishStv(parseBlt('2 1\n-2\n4 2 0\n3 1 0\n1 0\n0\n"A"\n"B"\n'));
    expect(r.ballots).toBe(3);
    expect(r.quota).toBe(2);
  });
});

describe('fixed-point helpers', () => {
  it.each([
    [7, 3, 2, 10],
    [99999, 100000, 100000, 99999],
    [4, 45000, 1500000, 0],
    [123456789, 98765, 1000003, 12193173],
  ])('mulDivFloor(%i, %i, %i) = %i', (a, b, c, q) => {
    expect(mulDivFloor(a, b, c)).toBe(q);
  });

  it('stays exact beyond 2^53 by falling back to BigInt', () => {
    expect(mulDivFloor(9e10, 99999, 9e10 + 1)).toBe(Number((90000000000n * 99999n) / 90000000001n));
  });

  it.each([
    [167573560, '1675.73560'],
    [5, '0.00005'],
    [0, '0.00000'],
    [100000, '1.00000'],
  ])('formatFixed(%i) = %s', (u, s) => {
    expect(formatFixed(u)).toBe(s);
  });
});

// The Scottish Local Government Elections Order 2007, Schedule 1: rule 51(2) (exclusion) — "regard
// shall be had to the total value of votes credited to those candidates at the most recent
// preceding stage of the count at which they had an unequal value of votes and the candidate with
// the lowest value of votes at that stage shall be excluded"; rule 49(3) the same for the highest
// surplus. With three or more tied, a stage counts as soon as their values are not all equal; if
// two or more still share the lowest (highest) value there, the same question is asked of them
// alone at the stages before it, and lots are drawn only if they were equal at every stage.
describe('three-or-more-way ties (rules 49(3), 51(2))', () => {
  const names = ['A', 'B', 'C', 'D'];
  const ctx = (): TieContext => ({ round: 9, purpose: 'exclusion', names, lot: new Lot('tie'), tieBreaks: [] });
  it.each([
    { why: 'the most recent unequal stage decides alone', history: [[1, 1, 1, 0], [4, 6, 5, 0], [3, 3, 3, 0]], prefer: 'lowest', chosen: 'A', deciding: 2 },
    { why: 'two share the lowest at that stage: an earlier stage decides between them', history: [[4, 3, 9, 0], [5, 5, 7, 0], [6, 6, 6, 0]], prefer: 'lowest', chosen: 'B', deciding: 1 },
    { why: 'equal at every stage since the one before: still the most recent unequal stage', history: [[2, 9, 9, 0], [8, 8, 8, 0], [8, 8, 8, 0]], prefer: 'lowest', chosen: 'A', deciding: 1 },
    { why: 'highest surplus: the highest at the most recent unequal stage', history: [[9, 1, 8, 0], [7, 7, 2, 0], [9, 9, 9, 0]], prefer: 'highest', chosen: 'A', deciding: 1 },
  ] as const)('$why', ({ history, prefer, chosen, deciding }) => {
    const c = ctx();
    const out = breakTie([0, 1, 2], history.slice(0, -1), prefer, c);
    expect(names[out]).toBe(chosen);
    expect(c.tieBreaks).toEqual([expect.objectContaining({ resolvedBy: 'earlier-round', chosen, decidingRound: deciding, candidates: ['A', 'B', 'C'] })]);
  });

  it('draws lots, recorded with seed and draw, when all three were equal at every stage', () => {
    const c = ctx();
    const out = breakTie([0, 1, 2], [[2, 2, 2, 9], [5, 5, 5, 1]], 'lowest', c);
    expect([0, 1, 2]).toContain(out);
    expect(c.tieBreaks).toEqual([expect.objectContaining({ resolvedBy: 'lot', seed: 'tie', draw: 1, candidates: ['A', 'B', 'C'] })]);
  });
});
