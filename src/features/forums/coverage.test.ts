import { describe, expect, it } from 'vitest';
import { coverageReport, termEnd, type CoverageSeat } from './coverage.ts';

const now = new Date('2026-11-22T12:00:00Z');
const seat = (id: string, holdings: CoverageSeat['holdings'], method = 'ELECTED'): CoverageSeat => ({
  seatId: id, partnership: 'Health Board', label: `Seat ${id}`, selectionMethod: method, holdings,
});
const h = (personId: string, endsOn: string, filledBy = 'ELECTED') => ({ personId, personName: `P${personId}`, endsOn: new Date(endsOn), filledBy });

describe('coverage report', () => {
  it.each([
    ['a seat with no holding is vacant', [seat('1', [])], { vacant: 1, endingSoon: 0, overloaded: 0, invited: 0 }],
    ['a holding that ended is vacant', [seat('1', [h('a', '2026-11-01')])], { vacant: 1, endingSoon: 0, overloaded: 0, invited: 0 }],
    ['ends in 59 days: ending soon', [seat('1', [h('a', '2027-01-20')])], { vacant: 0, endingSoon: 1, overloaded: 0, invited: 0 }],
    ['ends in 61 days: not yet', [seat('1', [h('a', '2027-01-22')])], { vacant: 0, endingSoon: 0, overloaded: 0, invited: 0 }],
    ['invited seats are listed', [seat('1', [h('a', '2028-01-01', 'INVITED')])], { vacant: 0, endingSoon: 0, overloaded: 0, invited: 1 }],
    ['3 seats is fine', ['1', '2', '3'].map((i) => seat(i, [h('a', '2028-01-01')])), { vacant: 0, endingSoon: 0, overloaded: 0, invited: 0 }],
    ['4 seats is too many', ['1', '2', '3', '4'].map((i) => seat(i, [h('a', '2028-01-01')])), { vacant: 0, endingSoon: 0, overloaded: 1, invited: 0 }],
  ])('%s', (_name, seats, counts) => {
    const r = coverageReport(seats, now);
    expect({ vacant: r.vacant.length, endingSoon: r.endingSoon.length, overloaded: r.overloaded.length, invited: r.invited.length }).toEqual(counts);
  });

  it.each([
    ['2026-01-15', 24, '2028-01-15'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
  ])('term from %s for %i months ends %s', (start, months, end) => {
    expect(termEnd(new Date(`${start}T00:00:00Z`), months).toISOString().slice(0, 10)).toBe(end);
  });
});
