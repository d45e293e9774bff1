/**
 * OCDS dates. The standard requires date-times with a time zone, but published data
 * also has local times and bare dates; those are read as UK (Europe/London) time,
 * and the caller is told so it can warn.
 */

const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

function londonOffsetMs(instant: number): number {
  const p = Object.fromEntries(londonParts.formatToParts(new Date(instant)).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant / 1000) * 1000;
}

/**
 * Converts a Europe/London wall-clock time to a UTC instant (ms). Like Temporal's
 * "compatible" rule: an ambiguous autumn time is the earlier instant, and a time
 * skipped in spring is moved forward by the gap.
 */
function londonToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const naive = Date.UTC(y, mo - 1, d, h, mi, s);
  const before = londonOffsetMs(naive - 86_400_000);
  const after = londonOffsetMs(naive + 86_400_000);
  const valid = [naive - before, naive - after].filter((t) => londonOffsetMs(t) === naive - t);
  return valid.length ? Math.min(...valid) : naive - before;
}

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
    const ms = endOfDay ? londonToUtc(y, mo, d, 23, 59, 59) : londonToUtc(y, mo, d, 0, 0, 0);
    return { iso: new Date(ms).toISOString(), assumed: 'uk-day' };
  }
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) return null;
  return { iso: new Date(londonToUtc(y, mo, d, h, mi, s)).toISOString(), assumed: 'uk-time' };
}

function realDay(v: string): boolean {
  const [y, mo, d] = [Number(v.slice(0, 4)), Number(v.slice(5, 7)), Number(v.slice(8, 10))];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}
