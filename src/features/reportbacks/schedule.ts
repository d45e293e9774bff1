/**
 * Dates of meetings: recurring patterns ("second Tuesday", quarterly) and the days a report-back
 * is due. London wall time to instants and back is src/core/london-time.ts. Pure functions,
 * table-tested.
 */
import { londonDay, londonToInstant } from '../../core/london-time.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;

export const isDay = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
export const isTime = (s: string): boolean => /^([01]\d|2[0-3]):[0-5]\d$/.test(s);

/** Whole days from one London day to another ("2026-12-01" → "2026-12-04" is 3). */
export function daysBetween(fromDay: string, toDay: string): number {
  return Math.round((Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / DAY_MS);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** A report-back is due at the end of the London day `dueDays` after the meeting's day. */
export function reportDueAt(meetingStart: Date, dueDays: number): Date {
  return londonToInstant(addDays(londonDay(meetingStart), dueDays + 1), '00:00');
}

export type Repeat = 'MONTHLY' | 'QUARTERLY';
export interface RepeatRule {
  repeat: Repeat;
  /** 1..4, or -1 for the last */
  nth?: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday?: number;
}

const ORDINALS: [RegExp, number][] = [
  [/^(first|1st|cyntaf)$/, 1],
  [/^(second|2nd|ail)$/, 2],
  [/^(third|3rd|trydydd|trydedd)$/, 3],
  [/^(fourth|4th|pedwerydd|pedwaredd)$/, 4],
  [/^(last|olaf)$/, -1],
];
const WEEKDAYS: [RegExp, number][] = [
  [/^(sundays?|sul)$/, 0],
  [/^(mondays?|llun)$/, 1],
  [/^(tuesdays?|mawrth|fawrth)$/, 2],
  [/^(wednesdays?|mercher|fercher)$/, 3],
  [/^(thursdays?|iau)$/, 4],
  [/^(fridays?|gwener)$/, 5],
  [/^(saturdays?|sadwrn)$/, 6],
];

/**
 * Reads a pattern: "second tuesday", "monthly last friday", "quarterly", "quarterly first monday",
 * "ail ddydd Mawrth", "chwarterol". Without a weekday the first meeting's date supplies it.
 */
export function parseRepeat(text: string): RepeatRule | null {
  const words = text.toLowerCase().replace(/[^\p{L}\d\s]/gu, ' ').split(/\s+/).filter(Boolean);
  let repeat: Repeat = 'MONTHLY';
  let nth: number | undefined;
  let weekday: number | undefined;
  for (const w of words) {
    if (/^(monthly|misol|every|month|of|the|each|y|yr|pob|mis|dydd|ddydd|on|in|a|o)$/.test(w)) continue;
    if (/^(quarterly|chwarterol)$/.test(w)) {
      repeat = 'QUARTERLY';
      continue;
    }
    const o = ORDINALS.find(([re]) => re.test(w));
    if (o && nth === undefined) {
      nth = o[1];
      continue;
    }
    const d = WEEKDAYS.find(([re]) => re.test(w));
    if (d && weekday === undefined) {
      weekday = d[1];
      continue;
    }
    return null;
  }
  if ((nth === undefined) !== (weekday === undefined)) return null;
  if (nth === undefined && repeat === 'MONTHLY' && words.length === 0) return null;
  return { repeat, nth, weekday };
}

/** The weekday and its place in the month of a day: 2026-12-08 is the second Tuesday. */
export function nthWeekdayOf(day: string): { nth: number; weekday: number } {
  const d = new Date(`${day}T00:00:00Z`);
  return { nth: Math.ceil(d.getUTCDate() / 7), weekday: d.getUTCDay() };
}

/** The day of the nth weekday of a month (nth -1 = last), "YYYY-MM-DD". */
export function nthWeekday(year: number, month: number, nth: number, weekday: number): string {
  let date: Date;
  if (nth > 0) {
    const first = new Date(Date.UTC(year, month - 1, 1));
    const shift = (weekday - first.getUTCDay() + 7) % 7;
    date = new Date(Date.UTC(year, month - 1, 1 + shift + (nth - 1) * 7));
  } else {
    const last = new Date(Date.UTC(year, month, 0));
    const back = (last.getUTCDay() - weekday + 7) % 7;
    date = new Date(Date.UTC(year, month, -back));
  }
  return date.toISOString().slice(0, 10);
}

/** The days a pattern gives from `fromDay` up to `untilDay` inclusive. */
export function occurrences(rule: Required<RepeatRule>, fromDay: string, untilDay: string): string[] {
  const out: string[] = [];
  let [y, m] = fromDay.split('-').map(Number);
  const step = rule.repeat === 'QUARTERLY' ? 3 : 1;
  for (let i = 0; i < 400; i++) {
    const day = nthWeekday(y, m, rule.nth, rule.weekday);
    if (day > untilDay) break;
    if (day >= fromDay) out.push(day);
    m += step;
    if (m > 12) {
      m -= 12;
      y++;
    }
  }
  return out;
}
