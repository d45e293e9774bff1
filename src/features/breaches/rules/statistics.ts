/**
 * Public statistics on compact breach cases: aggregates only, never a league table.
 *
 * - Cases are counted in the period in which they were filed (a cohort view), and the
 *   median days to resolution of a period is over that period's cases whose outcome is
 *   `resolved` (calendar days from filedOn to resolvedOn).
 * - Small-number suppression: every count under the threshold (3, zero included) is
 *   shown as `null` with `suppressed: true`. Within each breakdown (by code, by kind of
 *   body, by outcome) the cells add up to the period total, so complementary cells
 *   (the smallest shown) are suppressed too until no suppressed cell can be worked out
 *   from the total: at least two cells hidden, their combined count at least the
 *   threshold and above what readers know it is at least (a category listed because it
 *   occurs in the data has at least 1 case, so three hidden categories totalling 3 are
 *   each 1). The total is hidden when under the threshold, or when a breakdown cannot be
 *   protected otherwise (e.g. 3 cases with 3 different codes); it is one figure, so it
 *   is then hidden in every breakdown and each breakdown hides at least one cell.
 *   The median is suppressed when fewer than 3 cases feed it; its case count is not
 *   published, as it would un-hide the `resolved` cell.
 * - Publish one granularity per table: showing both years and quarters of the same
 *   cases would let readers subtract one from the other.
 * - Output is built only from code, bodyKind and outcome; no other field of a record
 *   (such as a body's name) can reach it.
 */
import { assertIsoDate, calendarDaysBetween, type IsoDate } from './working-days.ts';

/** How a case ended; `null` or `'open'` while it is still open. */
export type BreachOutcome = 'resolved' | 'unresolved' | 'withdrawn' | 'open';

/** The fields of a breach case the statistics use. Extra fields are ignored. */
export interface BreachCaseRecord {
  /** The compact code breached, e.g. `funding-procurement`. */
  readonly code: string;
  /** The kind of public body, e.g. `council`, `health-board`, never its name. */
  readonly bodyKind: string;
  readonly outcome: BreachOutcome | string | null;
  readonly filedOn: IsoDate;
  /** The date the case was closed, if it has been. */
  readonly resolvedOn: IsoDate | null;
}

/** Calendar year (`2025`), calendar quarter (`2025-Q1` = Jan–Mar), or UK financial year (`2025-26` = Apr 2025–Mar 2026). */
export type PeriodKind = 'year' | 'quarter' | 'financial-year';

/** One published figure: `count` is null exactly when `suppressed` is true. */
export interface StatCount {
  readonly count: number | null;
  readonly suppressed: boolean;
}

/** A figure in a breakdown, for one category. */
export interface StatCell extends StatCount {
  readonly key: string;
}

/** Statistics for one period. */
export interface PeriodStatistics {
  readonly period: string;
  readonly total: StatCount;
  readonly byCode: readonly StatCell[];
  readonly byBodyKind: readonly StatCell[];
  readonly byOutcome: readonly StatCell[];
  readonly medianDaysToResolution: { readonly days: number | null; readonly suppressed: boolean };
}

/** Options for {@link breachStatistics}. */
export interface StatisticsOptions {
  readonly period: PeriodKind;
  /** Counts below this are suppressed. Default 3; values under 3 are refused. */
  readonly threshold?: number;
  /**
   * Categories to list in every period even when no case has them (their zero is
   * suppressed like any small count). Categories found in the data are added after.
   */
  readonly categories?: {
    readonly codes?: readonly string[];
    readonly bodyKinds?: readonly string[];
    readonly outcomes?: readonly string[];
  };
}

/** The minimum threshold, and the minimum number of cases behind a published median. */
export const MIN_PUBLISHED_COUNT = 3;

/** The label of the period containing `date`. */
export function periodOf(date: IsoDate, kind: PeriodKind): string {
  assertIsoDate(date);
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (kind === 'year') return String(year);
  if (kind === 'quarter') return `${year}-Q${Math.ceil(month / 3)}`;
  const start = month >= 4 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/** The median of a list of numbers (mean of the middle two for an even count), or null if empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A category count before suppression. `lowerBound` is what a reader knows the count is at least (1 for a category listed only because it occurs in the data). */
export interface RawCell {
  readonly key: string;
  readonly count: number;
  readonly lowerBound?: number;
}

/**
 * Suppresses one breakdown whose cells add up to `total`: primary suppression of every
 * cell under the threshold, then complementary suppression of the smallest shown cells
 * while a suppressed cell could be worked out from a shown total. With `hideTotal`, at
 * least one cell is hidden so the total cannot be rebuilt by adding up the cells.
 * Returns null when the breakdown cannot be protected without hiding the total.
 */
export function suppressBreakdown(
  cells: readonly RawCell[],
  total: number,
  threshold: number = MIN_PUBLISHED_COUNT,
  hideTotal: boolean = total < threshold,
): { cells: StatCell[]; total: StatCount } | null {
  const sum = cells.reduce((s, c) => s + c.count, 0);
  if (sum !== total) throw new RangeError(`Breakdown cells add up to ${sum}, not the total ${total}`);
  const hidden = new Set<number>();
  cells.forEach((c, i) => {
    if (c.count < threshold) hidden.add(i);
  });
  const smallestShown = (): number => {
    let pick = -1;
    cells.forEach((c, i) => {
      if (!hidden.has(i) && (pick === -1 || c.count < cells[pick].count)) pick = i;
    });
    return pick;
  };
  if (hideTotal) {
    if (hidden.size === 0 && cells.length > 0) hidden.add(smallestShown());
  } else {
    const exposed = (): boolean => {
      let s = 0;
      let floor = 0;
      for (const i of hidden) {
        s += cells[i].count;
        floor += cells[i].lowerBound ?? 0;
      }
      // One hidden cell is total minus the rest; a small or minimal hidden sum pins the cells down too.
      return hidden.size === 1 || s < threshold || s <= floor;
    };
    while (hidden.size > 0 && exposed()) {
      const pick = smallestShown();
      if (pick === -1) return null;
      hidden.add(pick);
    }
  }
  return {
    cells: cells.map((c, i) =>
      hidden.has(i) ? { key: c.key, count: null, suppressed: true } : { key: c.key, count: c.count, suppressed: false },
    ),
    total: hideTotal ? { count: null, suppressed: true } : { count: total, suppressed: false },
  };
}

function categoryKey(value: string | null | undefined, fallback: string): string {
  const v = (value ?? '').trim();
  return v === '' ? fallback : v;
}

function countBy(keys: readonly string[], preset: readonly string[] = []): RawCell[] {
  const counts = new Map<string, number>();
  for (const k of preset) counts.set(k, 0);
  const extra = [...new Set(keys.filter((k) => !counts.has(k)))].sort();
  for (const k of extra) counts.set(k, 0);
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  const listed = new Set(preset);
  return [...counts].map(([key, count]) => ({ key, count, lowerBound: listed.has(key) ? 0 : 1 }));
}

/**
 * Public statistics per period (ascending), from case records. Throws a RangeError on
 * an invalid date or a resolution dated before filing, naming the record's index only.
 */
export function breachStatistics(records: readonly BreachCaseRecord[], options: StatisticsOptions): PeriodStatistics[] {
  const threshold = options.threshold ?? MIN_PUBLISHED_COUNT;
  if (!Number.isInteger(threshold) || threshold < MIN_PUBLISHED_COUNT) {
    throw new RangeError(`threshold must be an integer ≥ ${MIN_PUBLISHED_COUNT}`);
  }
  const byPeriod = new Map<string, Array<{ code: string; bodyKind: string; outcome: string; days: number | null }>>();
  records.forEach((r, index) => {
    let period: string;
    let days: number | null = null;
    const outcome = categoryKey(r.outcome, 'open');
    try {
      period = periodOf(r.filedOn, options.period);
      if (r.resolvedOn != null) assertIsoDate(r.resolvedOn);
    } catch (e) {
      throw new RangeError(`Record ${index}: ${(e as Error).message}`);
    }
    if (outcome === 'resolved' && r.resolvedOn != null) {
      days = calendarDaysBetween(r.filedOn, r.resolvedOn);
      if (days < 0) throw new RangeError(`Record ${index}: resolvedOn is before filedOn`);
    }
    const row = { code: categoryKey(r.code, 'unspecified'), bodyKind: categoryKey(r.bodyKind, 'unspecified'), outcome, days };
    const list = byPeriod.get(period);
    if (list) list.push(row);
    else byPeriod.set(period, [row]);
  });

  const cats = options.categories ?? {};
  return [...byPeriod.keys()].sort().map((period) => {
    const rows = byPeriod.get(period) ?? [];
    const total = rows.length;
    const raw = [
      countBy(rows.map((r) => r.code), cats.codes),
      countBy(rows.map((r) => r.bodyKind), cats.bodyKinds),
      countBy(rows.map((r) => r.outcome), cats.outcomes),
    ];
    let done = raw.map((cells) => suppressBreakdown(cells, total, threshold));
    // The total is one figure shared by all breakdowns: if one needs it hidden, hide it in all.
    if (done.some((d) => d === null)) done = raw.map((cells) => suppressBreakdown(cells, total, threshold, true));
    const [code, kind, outcome] = done as Array<{ cells: StatCell[]; total: StatCount }>;
    const durations = rows.flatMap((r) => (r.days === null ? [] : [r.days]));
    const medianShown = durations.length >= MIN_PUBLISHED_COUNT;
    return {
      period,
      total: code.total,
      byCode: code.cells,
      byBodyKind: kind.cells,
      byOutcome: outcome.cells,
      medianDaysToResolution: { days: medianShown ? median(durations) : null, suppressed: !medianShown },
    };
  });
}
