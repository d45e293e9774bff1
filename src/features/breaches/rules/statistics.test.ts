import { describe, expect, it } from 'vitest';
import {
  breachStatistics,
  median,
  periodOf,
  suppressBreakdown,
  type BreachCaseRecord,
  type PeriodStatistics,
  type RawCell,
  type StatCell,
} from './statistics.ts';

const rec = (
  code: string,
  bodyKind: string,
  outcome: string | null,
  filedOn: string,
  resolvedOn: string | null = null,
): BreachCaseRecord => ({ code, bodyKind, outcome, filedOn, resolvedOn });

const shown = (cells: readonly StatCell[]): Record<string, number | null> =>
  Object.fromEntries(cells.map((c) => [c.key, c.count]));

/**
 * A reader's attack on one breakdown: with the total shown, enumerate every assignment
 * of the hidden cells (each ≥ its lower bound) that adds up; a hidden cell taking only
 * one value across all of them has been disclosed.
 */
function disclosedCells(cells: readonly StatCell[], lowerBounds: Record<string, number>, total: number | null): string[] {
  const hidden = cells.filter((c) => c.suppressed);
  if (total === null || hidden.length === 0) return [];
  const rest = total - cells.reduce((s, c) => s + (c.count ?? 0), 0);
  const seen = hidden.map(() => new Set<number>());
  const walk = (i: number, left: number, values: number[]): void => {
    if (i === hidden.length) {
      if (left === 0) values.forEach((v, j) => seen[j].add(v));
      return;
    }
    for (let v = lowerBounds[hidden[i].key] ?? 0; v <= left; v += 1) walk(i + 1, left - v, [...values, v]);
  };
  walk(0, rest, []);
  return hidden.filter((_, j) => seen[j].size <= 1).map((c) => c.key);
}

function audit(stats: readonly PeriodStatistics[], presetKeys: ReadonlySet<string> = new Set()): void {
  for (const p of stats) {
    expect(p.total.count === null).toBe(p.total.suppressed);
    for (const cells of [p.byCode, p.byBodyKind, p.byOutcome]) {
      for (const c of cells) {
        expect(c.count === null).toBe(c.suppressed);
        if (c.count !== null) expect(c.count).toBeGreaterThanOrEqual(3);
      }
      const lb = Object.fromEntries(cells.map((c) => [c.key, presetKeys.has(c.key) ? 0 : 1]));
      expect(disclosedCells(cells, lb, p.total.count), `${p.period} ${JSON.stringify(cells)}`).toEqual([]);
      if (p.total.suppressed && cells.length > 0) expect(cells.some((c) => c.suppressed)).toBe(true);
    }
  }
}

describe('periodOf', () => {
  it.each([
    ['2025-01-01', 'year', '2025'],
    ['2025-12-31', 'year', '2025'],
    ['2025-03-31', 'quarter', '2025-Q1'],
    ['2025-04-01', 'quarter', '2025-Q2'],
    ['2025-09-30', 'quarter', '2025-Q3'],
    ['2025-10-01', 'quarter', '2025-Q4'],
    ['2025-03-31', 'financial-year', '2024-25'],
    ['2025-04-01', 'financial-year', '2025-26'],
    ['2099-06-01', 'financial-year', '2099-00'],
  ] as const)('%s (%s) → %s', (date, kind, expected) => {
    expect(periodOf(date, kind)).toBe(expected);
  });
});

describe('median', () => {
  it.each([
    [[], null],
    [[7], 7],
    [[9, 1, 5], 5],
    [[4, 1, 3, 2], 2.5],
    [[10, 10, 30, 40], 20],
  ])('%j → %s', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

describe('suppressBreakdown', () => {
  const cells = (counts: Record<string, number>, lb = 1): RawCell[] =>
    Object.entries(counts).map(([key, count]) => ({ key, count, lowerBound: lb }));

  it.each<[string, Record<string, number>, Record<string, number | null>, boolean]>([
    ['nothing small', { a: 5, b: 7 }, { a: 5, b: 7 }, false],
    ['one small cell: complementary smallest cell hidden', { a: 2, b: 10, c: 4 }, { a: null, b: 10, c: null }, false],
    ['two small cells summing to 3: enough', { a: 1, b: 2, c: 9 }, { a: null, b: null, c: 9 }, false],
    ['two ones: sum 2 < 3, hide one more', { a: 1, b: 1, c: 5, d: 9 }, { a: null, b: null, c: null, d: 9 }, false],
    ['three ones among more: sum 3 = their floor, hide one more', { a: 1, b: 1, c: 1, d: 4, e: 8 }, { a: null, b: null, c: null, d: null, e: 8 }, false],
    ['two categories, one small: both hidden', { a: 1, b: 20 }, { a: null, b: null }, false],
    ['total under threshold: everything hidden', { a: 1, b: 1 }, { a: null, b: null }, true],
    ['single category equal to total ≥ 3', { a: 3 }, { a: 3 }, false],
  ])('%s', (_, counts, expected, totalHidden) => {
    const total = Object.values(counts).reduce((s, n) => s + n, 0);
    const r = suppressBreakdown(cells(counts), total);
    expect(r).not.toBeNull();
    expect(shown(r!.cells)).toEqual(expected);
    expect(r!.total.suppressed).toBe(totalHidden);
    expect(disclosedCells(r!.cells, Object.fromEntries(Object.keys(counts).map((k) => [k, 1])), r!.total.count)).toEqual([]);
  });

  it('returns null when only hiding the total protects the cells', () => {
    expect(suppressBreakdown(cells({ a: 1, b: 1, c: 1 }), 3)).toBeNull();
  });

  it('with zero lower bounds three ones are safe', () => {
    expect(shown(suppressBreakdown(cells({ a: 1, b: 1, c: 1, d: 9 }, 0), 12)!.cells)).toEqual({ a: null, b: null, c: null, d: 9 });
  });

  it('with the total hidden, hides at least one cell so the total cannot be re-added', () => {
    const r = suppressBreakdown(cells({ a: 4, b: 9 }), 13, 3, true)!;
    expect(shown(r.cells)).toEqual({ a: null, b: 9 });
    expect(r.total).toEqual({ count: null, suppressed: true });
  });

  it('rejects cells that do not add up to the total', () => {
    expect(() => suppressBreakdown(cells({ a: 4 }), 5)).toThrow(RangeError);
  });
});

describe('breachStatistics', () => {
  const year2025: BreachCaseRecord[] = [
    ...Array.from({ length: 4 }, (_, i) => rec('funding', 'council', 'resolved', '2025-02-01', `2025-02-${String(11 + i * 5)}`)),
    ...Array.from({ length: 3 }, () => rec('consultation', 'council', 'open', '2025-05-01')),
    rec('consultation', 'health-board', 'unresolved', '2025-06-01', '2025-09-01'),
    ...Array.from({ length: 3 }, () => rec('funding', 'health-board', 'withdrawn', '2025-07-01', '2025-07-03')),
    rec('volunteering', 'police', 'resolved', '2025-11-01', '2025-12-31'),
  ];

  it('counts by code, kind and outcome, with suppression, per year', () => {
    const [s] = breachStatistics(year2025, { period: 'year' });
    expect(s.period).toBe('2025');
    expect(s.total).toEqual({ count: 12, suppressed: false });
    // volunteering = 1 is hidden, and the smallest other code with it.
    expect(shown(s.byCode)).toEqual({ consultation: null, funding: 7, volunteering: null });
    expect(shown(s.byBodyKind)).toEqual({ council: 7, 'health-board': null, police: null });
    expect(shown(s.byOutcome)).toEqual({ open: null, resolved: 5, unresolved: null, withdrawn: 3 });
    // resolved: 10, 15, 20, 25 days and 60 days → median 20
    expect(s.medianDaysToResolution).toEqual({ days: 20, suppressed: false });
    audit([s]);
  });

  it('splits by quarter and suppresses small periods entirely', () => {
    const stats = breachStatistics(year2025, { period: 'quarter' });
    expect(stats.map((s) => s.period)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
    const q4 = stats[3];
    expect(q4.total).toEqual({ count: null, suppressed: true });
    expect([...q4.byCode, ...q4.byBodyKind, ...q4.byOutcome].every((c) => c.suppressed)).toBe(true);
    expect(q4.medianDaysToResolution).toEqual({ days: null, suppressed: true });
    expect(stats[0].medianDaysToResolution).toEqual({ days: 17.5, suppressed: false });
    audit(stats);
  });

  it('hides the total everywhere when three cases have three different codes', () => {
    const [s] = breachStatistics(
      [rec('a', 'council', 'open', '2025-01-01'), rec('b', 'council', 'open', '2025-01-02'), rec('c', 'council', 'open', '2025-01-03')],
      { period: 'year' },
    );
    expect(s.total.suppressed).toBe(true);
    expect(s.byCode.every((c) => c.suppressed)).toBe(true);
    expect(s.byBodyKind.some((c) => c.suppressed)).toBe(true);
    expect(s.byOutcome.some((c) => c.suppressed)).toBe(true);
  });

  it('lists preset categories in order, with zero counts suppressed', () => {
    const [s] = breachStatistics(year2025, {
      period: 'year',
      categories: { outcomes: ['open', 'resolved', 'unresolved', 'withdrawn', 'escalated'] },
    });
    expect(s.byOutcome.map((c) => c.key)).toEqual(['open', 'resolved', 'unresolved', 'withdrawn', 'escalated']);
    expect(s.byOutcome.find((c) => c.key === 'escalated')).toEqual({ key: 'escalated', count: null, suppressed: true });
    audit([s], new Set(['open', 'resolved', 'unresolved', 'withdrawn', 'escalated']));
  });

  it('treats a null outcome as open and blank categories as unspecified', () => {
    const records = [
      ...Array.from({ length: 3 }, () => rec('', ' ', null, '2025-01-01')),
      ...Array.from({ length: 3 }, () => rec('funding', 'council', 'open', '2025-01-01')),
    ];
    const [s] = breachStatistics(records, { period: 'year' });
    expect(shown(s.byOutcome)).toEqual({ open: 6 });
    expect(shown(s.byCode)).toEqual({ funding: 3, unspecified: 3 });
  });

  it('never names a body, even when records carry its name', () => {
    const named = year2025.map((r) => ({ ...r, bodyName: 'Barnet Borough Council', filer: 'Jane Doe' }));
    const text = JSON.stringify(breachStatistics(named, { period: 'quarter' }));
    expect(text).not.toContain('Barnet');
    expect(text).not.toContain('Jane');
  });

  it('counts only resolved cases in the median, and needs 3 of them', () => {
    const records = [
      rec('x', 'council', 'resolved', '2025-01-01', '2025-01-11'),
      rec('x', 'council', 'resolved', '2025-01-01', '2025-01-21'),
      rec('x', 'council', 'withdrawn', '2025-01-01', '2025-01-02'),
      rec('x', 'council', 'unresolved', '2025-01-01', '2025-03-01'),
    ];
    expect(breachStatistics(records, { period: 'year' })[0].medianDaysToResolution).toEqual({ days: null, suppressed: true });
  });

  it('rejects a threshold below 3, bad dates and resolution before filing, naming the index only', () => {
    expect(() => breachStatistics(year2025, { period: 'year', threshold: 2 })).toThrow(RangeError);
    expect(() => breachStatistics([rec('x', 'council', 'open', '2025-02-30')], { period: 'year' })).toThrow(/Record 0/);
    expect(() => breachStatistics([rec('x', 'council', 'resolved', '2025-02-03', '2025-02-01')], { period: 'year' })).toThrow(
      /Record 0: resolvedOn is before filedOn/,
    );
  });

  it('returns no periods for no records', () => {
    expect(breachStatistics([], { period: 'year' })).toEqual([]);
  });

  it('never discloses a suppressed cell on random data (seeded)', () => {
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const codes = ['funding', 'consultation', 'volunteering', 'bme', 'community'];
    const kinds = ['council', 'health-board', 'police', 'fire'];
    const outcomes = ['open', 'resolved', 'unresolved', 'withdrawn'];
    for (let trial = 0; trial < 150; trial += 1) {
      const size = 1 + rand(16);
      const records = Array.from({ length: size }, () =>
        rec(codes[rand(codes.length)], kinds[rand(kinds.length)], outcomes[rand(outcomes.length)], `2025-0${1 + rand(6)}-10`, '2025-08-01'),
      );
      audit(breachStatistics(records, { period: 'quarter' }));
    }
  });
});
