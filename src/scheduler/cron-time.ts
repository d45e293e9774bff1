/**
 * Which minute a cron expression was last due, in London wall time. node-cron fires jobs going
 * forward; this answers the question it cannot: "what did we miss?".
 *
 * node-cron decides what an expression means (it is what fires the jobs): its parser reads the
 * expression (five or six fields, names such as `mon` or `monday`, `@daily`, ranges, steps, `L`,
 * `1#2`) and refuses what it would refuse. cron-parser then walks back in time from the fields
 * node-cron read, in the London time zone. Where both day fields are restricted, node-cron wants
 * both to match (classic cron and cron-parser want either), so the walk keeps only dates both
 * fields include.
 *
 * At the clock changes: a time in the skipped spring hour is not due that day (node-cron does not
 * fire it either); a time in the repeated autumn hour is due at its first occurrence, so the
 * second firing finds the run already claimed.
 */
import { CronExpressionParser, type CronExpression } from 'cron-parser';
import cron from 'node-cron';
import { LONDON } from '../core/london-time.ts';

type Fields = ReturnType<typeof cron.parse>;
const FULL = { second: 60, minute: 60, hour: 24, dayOfMonth: 31, month: 12, dayOfWeek: 7 } as const;
const ORDER = ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'] as const;

const isAll = (values: readonly (number | string)[], size: number) => values.length >= size && values.every((v) => typeof v === 'number');

function toText(fields: Fields, override: Partial<Record<(typeof ORDER)[number], string>> = {}): string {
  return ORDER.map((name) => override[name] ?? (isAll(fields[name], FULL[name]) ? '*' : fields[name].join(','))).join(' ');
}

export interface CronSchedule {
  /** the latest due time at or before `now`, no further back than `windowMs`; null if none */
  previous(now: Date, windowMs: number): Date | null;
}

/** Reads an expression as node-cron does; throws an Error saying what is wrong where node-cron would refuse it. */
export function parseCron(expr: string): CronSchedule {
  let fields: Fields;
  try {
    fields = cron.parse(expr);
  } catch (err) {
    throw new Error(`bad cron expression "${expr}": ${(err as Error).message}`);
  }
  const bothDays = !isAll(fields.dayOfMonth, FULL.dayOfMonth) && !isAll(fields.dayOfWeek, FULL.dayOfWeek);
  const text = toText(fields);
  const days = bothDays
    ? [CronExpressionParser.parse(toText(fields, { dayOfWeek: '*' }), { tz: LONDON }), CronExpressionParser.parse(toText(fields, { dayOfMonth: '*' }), { tz: LONDON })]
    : [];
  return {
    previous(now, windowMs) {
      // prev() answers strictly before its start, so start just after `now` to include it
      const walk: CronExpression = CronExpressionParser.parse(text, { tz: LONDON, currentDate: new Date(now.getTime() + 1) });
      const earliest = now.getTime() - windowMs;
      for (;;) {
        const at = walk.prev().toDate();
        if (at.getTime() < earliest) return null;
        if (days.every((d) => d.includesDate(at))) return at;
      }
    },
  };
}

/** The latest minute at or before `now` (within `windowMs`) that the expression matches. */
export function previousOccurrence(expr: string, now: Date, windowMs: number): Date | null {
  return parseCron(expr).previous(now, windowMs);
}
