import { describe, expect, it } from 'vitest';
import { parseBlt, type ParsedElection } from './blt.ts';
import { COUNT_METHODS, CountError, countElection, isCountMethod } from './index.ts';

/** An election from `weight ranking` lines, candidates named by single letters. */
function election(seats: number, candidates: string, lines: string[], withdrawn = ''): ParsedElection {
  const names = candidates.split('');
  const number = (c: string) => names.indexOf(c) + 1;
  const ballots = lines.map((l) => {
    const [weight, ranking] = l.split(' ');
    return `${weight} ${ranking.split('').map(number).join(' ')} 0`;
  });
  const header = withdrawn ? `\n${withdrawn.split('').map((c) => `-${number(c)}`).join(' ')}` : '';
  return parseBlt(`${names.length} ${seats}${header}\n${ballots.join('\n')}\n0\n${names.map((n) => `"${n}"`).join('\n')}\n"t"\n`);
}

describe('countElection', () => {
  it('defaults to Scottish STV and knows its methods', () => {
    expect(countElection(election(1, 'AB', ['2 A', '1 B'])).method).toBe('scottish-stv');
    expect(COUNT_METHODS.every(isCountMethod)).toBe(true);
    expect(isCountMethod('borda')).toBe(false);
    expect(() => countElection(election(1, 'AB', ['1 A']), 'borda' as never)).toThrow(CountError);
  });
});

describe('first past the post', () => {
  it('counts first preferences only', () => {
    const r = countElection(election(1, 'ABC', ['4 AB', '5 BA', '3 CA']), 'fptp');
    expect(r).toMatchObject({ method: 'fptp', ballots: 12, quota: null, elected: [{ name: 'B', votes: 5 }] });
    expect(r.rounds).toEqual([{ round: 1, action: 'first', votes: { A: 4, B: 5, C: 3 }, nonTransferable: 0, elected: ['B'], excluded: [] }]);
  });

  it('fills several seats in order of votes, counting the next preference after a withdrawn candidate', () => {
    const r = countElection(election(2, 'ABCD', ['4 AB', '5 BA', '3 CA', '6 DA'], 'D'), 'fptp');
    expect(r.elected).toEqual([
      { name: 'A', votes: 10 },
      { name: 'B', votes: 5 },
    ]);
    expect(Object.keys(r.rounds[0].votes)).toEqual(['A', 'B', 'C']);
  });

  it('breaks a tie for the last seat by a recorded, repeatable lot', () => {
    const e = election(1, 'ABC', ['3 A', '3 B', '1 C']);
    const r = countElection(e, 'fptp', { seed: 'fptp-seed' });
    expect(countElection(e, 'fptp', { seed: 'fptp-seed' })).toEqual(r);
    expect(r.tieBreaks).toEqual([
      { round: 1, purpose: 'election', candidates: ['A', 'B'], resolvedBy: 'lot', chosen: r.elected[0].name, seed: 'fptp-seed', draw: 1 },
    ]);
    expect(['A', 'B']).toContain(r.elected[0].name);
  });
});

describe('block vote', () => {
  it('gives one vote to each of a paper’s first `seats` preferences', () => {
    const r = countElection(election(2, 'ABCD', ['3 ABC', '2 CD', '2 DB', '1 B']), 'block');
    expect(r.rounds[0].votes).toEqual({ A: 3, B: 6, C: 2, D: 4 });
    expect(r.elected).toEqual([
      { name: 'B', votes: 6 },
      { name: 'D', votes: 4 },
    ]);
  });
});

describe('alternative vote', () => {
  it('elects a majority winner in the first round', () => {
    const r = countElection(election(1, 'ABC', ['6 A', '3 BA', '2 C']), 'av');
    expect(r.rounds).toHaveLength(1);
    expect(r.elected).toEqual([{ name: 'A', votes: 6 }]);
    expect(r.quota).toBe(6);
  });

  it('excludes the lowest and transfers until someone has a majority of papers still in play', () => {
    const r = countElection(election(1, 'ABCD', ['8 A', '7 BC', '5 CB', '3 DC', '2 D']), 'av');
    expect(r.rounds.map((x) => [x.action, x.candidate ?? '', x.votes, x.nonTransferable])).toEqual([
      ['first', '', { A: 8, B: 7, C: 5, D: 5 }, 0],
      // C and D tie on 5 with no earlier round: the lot decides which goes.
      ...(r.tieBreaks[0].chosen === 'D'
        ? [
            ['exclusion', 'D', { A: 8, B: 7, C: 8, D: 0 }, 2],
            ['exclusion', 'B', { A: 8, B: 0, C: 15, D: 0 }, 2],
          ]
        : [
            ['exclusion', 'C', { A: 8, B: 12, C: 0, D: 5 }, 0],
            ['exclusion', 'D', { A: 8, B: 12, C: 0, D: 0 }, 5],
          ]),
    ]);
    expect(r.tieBreaks[0]).toMatchObject({ round: 2, purpose: 'exclusion', candidates: ['C', 'D'], resolvedBy: 'lot' });
    expect(r.elected).toEqual(r.tieBreaks[0].chosen === 'D' ? [{ name: 'C', votes: 15 }] : [{ name: 'B', votes: 12 }]);
  });

  it('breaks an exclusion tie by the most recent round at which the candidates differed', () => {
    // Round 1: B 4, C 3. D's exclusion lifts C to 4; C was lower in round 1, so C goes.
    const r = countElection(election(1, 'ABCD', ['6 A', '4 BA', '3 CA', '1 DC']), 'av');
    expect(r.tieBreaks).toEqual([
      { round: 3, purpose: 'exclusion', candidates: ['B', 'C'], resolvedBy: 'earlier-round', chosen: 'C', decidingRound: 1 },
    ]);
    expect(r.rounds[2].candidate).toBe('C');
  });

  it('refuses an election for more than one seat', () => {
    expect(() => countElection(election(2, 'ABC', ['1 A']), 'av')).toThrow(/fills one seat, but this election has 2/);
  });
});

describe('Meek STV', () => {
  it('elects the candidates of the classic “food election” example', () => {
    const r = countElection(
      election(3, 'OPCSW', ['4 O', '2 PO', '8 CS', '4 CW', '1 S', '1 W']),
      'meek-stv',
    );
    expect(r.elected.map((e) => e.name).sort()).toEqual(['C', 'O', 'S']);
  });

  it('converges elected candidates to the quota and reports five decimals', () => {
    const r = countElection(election(2, 'ABC', ['6 AB', '3 B', '2 C']), 'meek-stv');
    expect(r.elected.map((e) => e.name)).toEqual(['A', 'B']);
    for (const e of r.elected) expect(e.votes).toMatch(/^\d+\.\d{5}$/);
    expect(Number(r.rounds[0].votes.A)).toBe(6);
    expect(r.quota).toMatch(/^\d+\.\d{5}$/);
  });

  it('redistributes a surplus by keep factors rather than by papers', () => {
    // Quota 14 / 3. A keeps 4.66667 of 8, so each A vote passes 0.41667 on: B reaches 5.33333.
    const r = countElection(election(2, 'ABC', ['8 AB', '2 B', '4 C']), 'meek-stv');
    expect(r.rounds[0]).toMatchObject({ action: 'first', elected: ['A'] });
    expect(r.rounds[1]).toMatchObject({ action: 'surplus', elected: ['B'] });
    expect(r.rounds[1].votes).toEqual({ A: '4.66667', B: '5.33333', C: '4.00000' });
    expect(r.quota).toBe('4.66667');
    expect(r.elected).toEqual([
      { name: 'A', votes: '4.66667' },
      { name: 'B', votes: '5.33333' },
    ]);
  });

  it('breaks a tie for exclusion by a recorded lot', () => {
    const r = countElection(election(1, 'ABC', ['1 A', '1 B', '1 C']), 'meek-stv', { seed: 'meek' });
    expect(r.tieBreaks.length).toBeGreaterThan(0);
    expect(r.tieBreaks[0]).toMatchObject({ resolvedBy: 'lot', seed: 'meek', draw: 1, purpose: 'exclusion' });
    expect(r.elected).toHaveLength(1);
  });

  // Droop's test elections 42 and 513 (3 candidates, 2 seats): after the first is elected and
  // keeps just enough, the other two stand exactly at the quota. Meek elects only above the quota
  // (Hill, Wichmann & Woodall; Droop's reference dumps elect the first at round 1, then tie the
  // other two at the quota), so the tie reaches the tie-break and is recorded.
  it.each([
    { name: '42', lines: ['4 AB', '2 C'], quota: '2.00000', excluded: 'B', elected: [{ name: 'A', votes: '2.00000' }, { name: 'C', votes: '2.00000' }] },
    { name: '513', lines: ['5 AB', '1 B', '3 C'], quota: '3.00000', excluded: 'B', elected: [{ name: 'A', votes: '3.00000' }, { name: 'C', votes: '3.00000' }] },
  ])('elects only above the quota, so an exact tie at the quota is broken and recorded ($name)', ({ lines, quota, excluded, elected }) => {
    const r = countElection(election(2, 'ABC', lines), 'meek-stv');
    expect(r.rounds[0]).toMatchObject({ action: 'first', elected: ['A'] });
    // round 2: all three at the quota, nobody above it, so nobody elected
    expect(r.rounds[1]).toMatchObject({ action: 'surplus', elected: [] });
    expect(Object.values(r.rounds[1].votes)).toEqual([quota, quota, quota]);
    expect(r.tieBreaks).toEqual([expect.objectContaining({ round: 3, purpose: 'exclusion', candidates: ['B', 'C'], chosen: excluded, resolvedBy: 'earlier-round', decidingRound: 1 })]);
    expect(r.rounds[2]).toMatchObject({ action: 'exclusion', candidate: excluded, elected: ['C'] });
    expect(r.quota).toBe(quota);
    expect(r.elected).toEqual(elected);
  });
});

describe('what cannot be counted is refused, never counted wrong', () => {
  it.each(['scottish-stv', 'meek-stv', 'av', 'fptp', 'block'] as const)('refuses fewer candidates left than seats after withdrawals (%s)', (method) => {
    const seats = method === 'av' ? 1 : 2;
    expect(() => countElection(election(seats, 'ABC', ['3 ABC', '2 BCA'], seats === 1 ? 'ABC' : 'BC'), method)).toThrow(
      new RegExp(`${seats} seats? but only ${seats === 1 ? 0 : 1} candidates? left after ${seats === 1 ? 3 : 2} withdrawals`),
    );
  });

  it('refuses weights past the exact range of each method, and counts just inside it', () => {
    // Scottish STV holds votes in units of 10^-5: 2^53 units is 90,071,992,547 votes.
    const inside = election(1, 'AB', ['90071992000 A', '547 B']);
    expect(countElection(inside, 'scottish-stv').elected[0]).toEqual({ name: 'A', votes: '90071992000.00000' });
    expect(() => countElection(election(1, 'AB', ['750000000000 A', '1 B']), 'scottish-stv')).toThrow(/750,000,000,001 votes in all, more than scottish-stv counts exactly \(90,071,992,547\)/);
    expect(() => countElection(election(1, 'AB', ['9007200 A', '1 B']), 'meek-stv')).toThrow(/more than meek-stv counts exactly \(9,007,199\)/);
    expect(countElection(election(1, 'AB', ['9007198 A', '1 B']), 'meek-stv').elected[0].name).toBe('A');
  });
});
