/**
 * The one UK clock: London wall time to instants and back, on the runtime's own time-zone data
 * (Intl). Every place where a UK date or time becomes an instant, or an instant is read as a UK
 * date or time, goes through here, so a meeting and a tender deadline at the same local time land
 * on the same instant.
 *
 * Wall times that do not name exactly one instant follow Temporal's "compatible" disambiguation:
 * - the hour that happens twice when the clocks go back (01:00–01:59 on the last Sunday of
 *   October) is read as its **first** occurrence, still in summer time: 2026-10-25 01:30 is
 *   00:30Z, not 01:30Z;
 * - the hour skipped when the clocks go forward (01:00–01:59 on the last Sunday of March) is
 *   **moved forward** by the gap: 2026-03-29 01:30 is read as 02:30 summer time, 01:30Z.
 */
export const LONDON = 'Europe/London';

/** A calendar date on the London calendar, `YYYY-MM-DD`. */
export type LondonDay = string;

export interface LondonWallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

// Making a DateTimeFormat costs far more than using one, so it is made once.
const format = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  weekday: 'short',
});
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The London wall time of an instant. */
export function londonWallTime(instant: Date): LondonWallTime {
  if (Number.isNaN(instant.getTime())) throw new RangeError('Invalid Date');
  const p: Record<string, string> = {};
  for (const part of format.formatToParts(instant)) p[part.type] = part.value;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
    weekday: WEEKDAYS[p.weekday],
  };
}

/** The London calendar day of an instant: 23:30Z on 30 June is "YYYY-07-01". */
export function londonDay(instant: Date): LondonDay {
  const w = londonWallTime(instant);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** "HH:MM" in London. */
export function londonTime(instant: Date): string {
  const w = londonWallTime(instant);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** Milliseconds London is ahead of UTC at this instant (0 in winter, 3,600,000 in summer). */
export function londonOffsetMs(instant: number): number {
  const w = londonWallTime(new Date(instant));
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instant / 1000) * 1000;
}

const HOUR_MS = 3_600_000;

/**
 * The instant of a London wall time given as numbers (month 1–12). See the module comment for
 * the repeated and the skipped hour.
 */
export function londonWallToInstant(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date {
  const naive = Date.UTC(year, month - 1, day, hour, minute, second);
  // the offsets in force either side of any change near this wall time (changes are >1 day apart)
  const before = londonOffsetMs(naive - 24 * HOUR_MS);
  const after = londonOffsetMs(naive + 24 * HOUR_MS);
  const candidates = [naive - before, naive - after].filter((t) => londonOffsetMs(t) === naive - t);
  // twice → the earlier; never (the spring gap) → read with the offset before the change
  return new Date(candidates.length ? Math.min(...candidates) : naive - before);
}

/** "2026-12-08" and "14:00" (or "14:00:30") in London → the instant. */
export function londonToInstant(day: LondonDay, time = '00:00'): Date {
  const [y, m, d] = day.split('-').map(Number);
  const [hh, mm, ss] = time.split(':').map(Number);
  return londonWallToInstant(y, m, d, hh, mm, ss || 0);
}

/** The instant a London day starts (midnight, UK time). */
export const londonDayStart = (day: LondonDay): Date => londonToInstant(day, '00:00');
