/**
 * Working days in England and Wales, for compact deadlines.
 *
 * Conventions used throughout this module:
 * - A date is an ISO calendar date string `YYYY-MM-DD`, meaning a day on the
 *   Europe/London calendar (a deadline is "by the end of that day", UK time).
 * - Instants (timestamps) are turned into London calendar dates with
 *   `londonDay` (src/core/london-time.ts) before any working-day arithmetic.
 * - A working day is Monday to Friday and not a bank holiday of England and Wales.
 *
 * Bank holidays are computed from the standing rules (accurate from 1978, when the
 * early May bank holiday began), then patched with {@link ONE_OFF_CHANGES}. New
 * one-off changes announced by the government must be added to that table.
 */

/** An ISO calendar date, `YYYY-MM-DD`, on the Europe/London calendar. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** A one-off change to the bank holidays of a year: `remove` is replaced by (or supplemented with) `add`. */
export interface OneOffChange {
  readonly year: number;
  /** The standing-rule date that does not apply that year, if any. */
  readonly remove?: IsoDate;
  /** Extra or moved-to bank holidays. */
  readonly add: readonly IsoDate[];
  readonly reason: string;
}

/** Known one-off changes to the England and Wales bank holidays (proclamations). */
export const ONE_OFF_CHANGES: readonly OneOffChange[] = [
  { year: 1995, remove: '1995-05-01', add: ['1995-05-08'], reason: 'Early May moved for the 50th anniversary of VE Day' },
  { year: 1999, add: ['1999-12-31'], reason: 'Millennium' },
  { year: 2002, remove: '2002-05-27', add: ['2002-06-03', '2002-06-04'], reason: 'Spring moved; Golden Jubilee' },
  { year: 2011, add: ['2011-04-29'], reason: 'Royal wedding' },
  { year: 2012, remove: '2012-05-28', add: ['2012-06-04', '2012-06-05'], reason: 'Spring moved; Diamond Jubilee' },
  { year: 2020, remove: '2020-05-04', add: ['2020-05-08'], reason: 'Early May moved for the 75th anniversary of VE Day' },
  { year: 2022, remove: '2022-05-30', add: ['2022-06-02', '2022-06-03'], reason: 'Spring moved; Platinum Jubilee' },
  { year: 2022, add: ['2022-09-19'], reason: 'State funeral of Queen Elizabeth II' },
  { year: 2023, add: ['2023-05-08'], reason: 'Coronation of King Charles III' },
];

/** Parses an ISO date to a UTC day number (days since 1970-01-01); throws on anything that is not a real date. */
function toDay(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC silently rolls 2025-02-30 over to March; reject it instead.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`Not a calendar date: ${date}`);
  }
  return Math.round(ms / DAY_MS);
}

function fromDay(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

function isWeekendDay(day: number): boolean {
  const w = weekday(day);
  return w === 0 || w === 6;
}

function ymd(y: number, month: number, d: number): number {
  return Math.round(Date.UTC(y, month - 1, d) / DAY_MS);
}

/** Easter Sunday (Gregorian) by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  checkYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return fromDay(ymd(year, month, day));
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new RangeError(`Year out of range (1583–9999): ${year}`);
  }
}

function firstMonday(year: number, month: number): number {
  const first = ymd(year, month, 1);
  return first + ((8 - weekday(first)) % 7);
}

function lastMonday(year: number, month: number): number {
  const last = ymd(year, month + 1, 0);
  return last - ((weekday(last) + 6) % 7);
}

const cache = new Map<number, readonly IsoDate[]>();

/**
 * The bank holidays of England and Wales in `year`, sorted, as ISO dates.
 * Substitute days are included (when a holiday falls on a weekend, the next
 * weekday not already a holiday is the bank holiday instead).
 */
export function bankHolidays(year: number): IsoDate[] {
  checkYear(year);
  let list = cache.get(year);
  if (!list) {
    list = computeBankHolidays(year);
    cache.set(year, list);
  }
  return [...list];
}

function computeBankHolidays(year: number): readonly IsoDate[] {
  const days = new Set<number>();
  const substitute = (day: number): void => {
    let d = day;
    while (isWeekendDay(d) || days.has(d)) d += 1;
    days.add(d);
  };
  substitute(ymd(year, 1, 1));
  const easter = toDay(easterSunday(year));
  days.add(easter - 2);
  days.add(easter + 1);
  days.add(firstMonday(year, 5));
  days.add(lastMonday(year, 5));
  days.add(lastMonday(year, 8));
  // Order matters: Christmas takes the first free weekday, then Boxing Day the next.
  substitute(ymd(year, 12, 25));
  substitute(ymd(year, 12, 26));

  for (const change of ONE_OFF_CHANGES) {
    if (change.year !== year) continue;
    if (change.remove) days.delete(toDay(change.remove));
    for (const add of change.add) days.add(toDay(add));
  }
  return [...days].sort((a, b) => a - b).map(fromDay);
}

function isBankHolidayDay(day: number): boolean {
  const year = new Date(day * DAY_MS).getUTCFullYear();
  let list = cache.get(year);
  if (!list) {
    list = computeBankHolidays(year);
    cache.set(year, list);
  }
  return list.includes(fromDay(day));
}

function isWorkingDayNumber(day: number): boolean {
  return !isWeekendDay(day) && !isBankHolidayDay(day);
}

/** True if `date` is a bank holiday in England and Wales. */
export function isBankHoliday(date: IsoDate): boolean {
  return isBankHolidayDay(toDay(date));
}

/** True if `date` is Monday–Friday and not a bank holiday in England and Wales. */
export function isWorkingDay(date: IsoDate): boolean {
  return isWorkingDayNumber(toDay(date));
}

/**
 * The deadline `n` working days after `start`. The start day itself never counts,
 * whether or not it is a working day: filing on a Saturday with n = 5 gives the
 * following Friday (Monday is day 1). The result is always a working day when n ≠ 0.
 * Negative `n` counts backwards (n working days before `start`); n = 0 returns `start`.
 */
export function addWorkingDays(start: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`n must be an integer: ${n}`);
  let day = toDay(start);
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  while (left > 0) {
    day += step;
    if (isWorkingDayNumber(day)) left -= 1;
  }
  return fromDay(day);
}

/**
 * Working days from `a` to `b`: the number of working days d with a < d ≤ b
 * (negative, counting a > d ≥ b, when b is before a). It is the inverse of
 * {@link addWorkingDays}: `workingDaysBetween(a, addWorkingDays(a, n)) === n`.
 */
export function workingDaysBetween(a: IsoDate, b: IsoDate): number {
  const from = toDay(a);
  const to = toDay(b);
  if (to === from) return 0;
  const forward = to > from;
  let count = 0;
  if (forward) {
    for (let d = from + 1; d <= to; d += 1) if (isWorkingDayNumber(d)) count += 1;
  } else {
    for (let d = to; d < from; d += 1) if (isWorkingDayNumber(d)) count += 1;
  }
  return forward ? count : -count;
}

/** Calendar days from `a` to `b` (negative when b is before a). */
export function calendarDaysBetween(a: IsoDate, b: IsoDate): number {
  return toDay(b) - toDay(a);
}

/** Adds `n` calendar days to an ISO date. */
export function addCalendarDays(date: IsoDate, n: number): IsoDate {
  return fromDay(toDay(date) + n);
}

/** Throws a RangeError unless `date` is a real `YYYY-MM-DD` calendar date. */
export function assertIsoDate(date: IsoDate): void {
  toDay(date);
}

