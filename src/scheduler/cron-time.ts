/**
 * Which minute a five-field cron expression was last due, in Europe/London wall time. node-cron
 * fires jobs going forward; this answers the question it cannot: "what did we miss?".
 */
const RANGES = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
] as const;

function parseField(field: string, [min, max]: readonly [number, number]): Set<number> {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText ? Number(stepText) : 1;
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [min, max];
    else if (range.includes('-')) [lo, hi] = range.split('-').map(Number) as [number, number];
    else [lo, hi] = [Number(range), stepText ? max : Number(range)];
    if (![lo, hi, step].every(Number.isInteger) || lo < min || hi > max || step < 1) throw new Error(`bad cron field: ${field}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export interface CronMatcher {
  matches(parts: WallTime): boolean;
}

export interface WallTime {
  minute: number;
  hour: number;
  day: number;
  month: number;
  weekday: number;
}

export function parseCron(expr: string): CronMatcher {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron needs five fields: ${expr}`);
  const [m, h, dom, mon, dow] = fields.map((f, i) => parseField(f, RANGES[i]));
  if (dow.has(7)) dow.add(0);
  const domAny = fields[2] === '*';
  const dowAny = fields[4] === '*';
  return {
    matches(t) {
      if (!m.has(t.minute) || !h.has(t.hour) || !mon.has(t.month)) return false;
      // classic cron: when both day fields are restricted, either may match
      if (!domAny && !dowAny) return dom.has(t.day) || dow.has(t.weekday);
      return dom.has(t.day) && dow.has(t.weekday);
    },
  };
}

const london = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  minute: 'numeric',
  hour: 'numeric',
  day: 'numeric',
  month: 'numeric',
  weekday: 'short',
});
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

export function wallTime(date: Date): WallTime {
  const parts = Object.fromEntries(london.formatToParts(date).map((p) => [p.type, p.value]));
  return { minute: Number(parts.minute), hour: Number(parts.hour), day: Number(parts.day), month: Number(parts.month), weekday: WEEKDAYS[parts.weekday] };
}

/** The latest minute at or before `now` (within `windowMs`) that the expression matches. */
export function previousOccurrence(expr: string, now: Date, windowMs: number): Date | null {
  const matcher = parseCron(expr);
  const start = Math.floor(now.getTime() / 60_000) * 60_000;
  for (let t = start; t >= now.getTime() - windowMs; t -= 60_000) {
    const d = new Date(t);
    if (matcher.matches(wallTime(d))) return d;
  }
  return null;
}
