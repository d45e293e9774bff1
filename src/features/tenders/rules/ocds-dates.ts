/**
 * OCDS dates. The standard requires date-times with a time zone, but published data
 * also has local times and bare dates; those are read as UK (Europe/London) time,
 * and the caller is told so it can warn. UK time is read by src/core/london-time.ts (the repeated
 * autumn hour is its first occurrence, the skipped spring hour is moved forward).
 */
import { londonWallToInstant } from '../../../core/london-time.ts';

const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/**
 * Reads an OCDS date. Zoned date-times are exact; a date-time without zone is read as
 * UK time, and a bare date as the start (or, for deadlines, the end) of that UK day.
 */
export function parseOcdsDate(
  value: string,
  endOfDay = false,
): { iso: string; assumed?: 'uk-time' | 'uk-day' } | null {
  const v = value.trim();
  if (ZONED.test(v)) {
    const ms = Date.parse(v);
    return Number.isNaN(ms) || !realDay(v) ? null : { iso: new Date(ms).toISOString() };
  }
  const m = LOCAL.exec(v);
  if (!m || !realDay(v)) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (m[4] === undefined) {
    const ms = (endOfDay ? londonWallToInstant(y, mo, d, 23, 59, 59) : londonWallToInstant(y, mo, d)).getTime();
    return { iso: new Date(ms).toISOString(), assumed: 'uk-day' };
  }
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) return null;
  return { iso: londonWallToInstant(y, mo, d, h, mi, s).toISOString(), assumed: 'uk-time' };
}

function realDay(v: string): boolean {
  const [y, mo, d] = [Number(v.slice(0, 4)), Number(v.slice(5, 7)), Number(v.slice(8, 10))];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}
