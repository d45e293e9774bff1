/**
 * Dates and times as people in the UK type them, in English and Welsh. The rules are explicit
 * (and tested in dates.test.ts); date-fns does the calendar work and knows the month names.
 *
 * - day first, always: `15/01/2027`, `15-1-27`, `15.01.2027` are 15 January (never the US order)
 * - month names, full or short, English or Welsh: `15 Jan 2027`, `15th January 2027`, `15 Ionawr 2027`;
 *   without a year, the next such day from today (`15 Jan` in December is next January)
 * - `2027-01-15` (ISO) as before
 * - `today`/`heddiw`, `tomorrow`/`yfory`, `next Friday`/`Friday`, Welsh `dydd Gwener nesaf`/`Gwener nesaf`:
 *   the first such weekday after today
 * - times: `14:00`, `14.00`, `2pm`, `2.30pm`, `2:30 pm`, `noon`/`hanner dydd`/`canol dydd`
 *
 * "Today" is the London calendar day, so a bot running in UTC reads `tomorrow` as a person in Wales means it.
 */
import { addDays, format, isValid, parse } from 'date-fns';
import { cy, enGB } from 'date-fns/locale';
import { fold } from './input.ts';
import { londonDay } from './london-time.ts';

const NUMERIC = ['d/M/yyyy', 'd/M/yy', 'd-M-yyyy', 'd-M-yy', 'd.M.yyyy', 'yyyy-MM-dd', 'yyyy/M/d'];
const NAMED_WITH_YEAR = ['d MMMM yyyy', 'd MMM yyyy', 'do MMMM yyyy', 'do MMM yyyy', 'EEEE d MMMM yyyy', 'EEE d MMM yyyy'];
const NAMED_NO_YEAR = ['d MMMM', 'd MMM', 'do MMMM', 'do MMM'];

const WEEKDAYS: Record<string, number> = {
  sunday: 0, sun: 0, monday: 1, mon: 1, tuesday: 2, tue: 2, tues: 2, wednesday: 3, wed: 3, thursday: 4, thu: 4, thur: 4, thurs: 4, friday: 5, fri: 5, saturday: 6, sat: 6,
  sul: 0, llun: 1, mawrth: 2, mercher: 3, iau: 4, gwener: 5, sadwrn: 6,
};
const TODAY = new Set(['today', 'heddiw']);
const TOMORROW = new Set(['tomorrow', 'yfory', 'fory']);

/** The London calendar day of an instant, as a local-midnight Date for date-fns. */
const asLocal = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d);
};
const iso = (d: Date) => format(d, 'yyyy-MM-dd');

/** A typed date as `YYYY-MM-DD`, or undefined. `now` is the clock (ctx.now()). */
export function readDate(text: string, now: Date): string | undefined {
  const raw = fold(text).replace(/[,]/g, ' ').replace(/\s+/g, ' ').trim().replace(/^(on|ar) /, '');
  if (!raw) return undefined;
  const today = asLocal(londonDay(now));
  if (TODAY.has(raw)) return iso(today);
  if (TOMORROW.has(raw)) return iso(addDays(today, 1));
  // "next friday", "friday", "dydd gwener nesaf", "ddydd gwener nesaf", "gwener nesaf", "dydd gwener"
  const weekday = /^(?:next )?(?:d?dydd )?([a-z]+)(?: nesaf)?$/.exec(raw);
  if (weekday && weekday[1] in WEEKDAYS && (raw.startsWith('next ') || raw.endsWith(' nesaf') || /^d?dydd /.test(raw) || /day$/.test(weekday[1]))) {
    const ahead = (WEEKDAYS[weekday[1]] - today.getDay() + 7) % 7 || 7;
    return iso(addDays(today, ahead));
  }
  for (const f of NUMERIC) {
    const d = parse(raw, f, today);
    if (isValid(d) && d.getFullYear() >= 1900) return iso(d);
  }
  for (const locale of [enGB, cy]) {
    for (const f of NAMED_WITH_YEAR) {
      const d = parse(raw, f, today, { locale });
      if (isValid(d)) return iso(d);
    }
    for (const f of NAMED_NO_YEAR) {
      const d = parse(raw, f, today, { locale });
      if (!isValid(d)) continue;
      // no year given: the next such day (today counts)
      return iso(d < today ? new Date(d.getFullYear() + 1, d.getMonth(), d.getDate()) : d);
    }
  }
  return undefined;
}

/** A typed time of day as `HH:MM` (24-hour), or undefined. */
export function readTime(text: string): string | undefined {
  const raw = fold(text).replace(/\s+/g, '');
  if (/^(noon|midday|hannerdydd|ganoldydd|canoldydd)$/.test(raw)) return '12:00';
  const m = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm|yb|yh|y\.b\.|y\.h\.)?$/.exec(raw);
  if (!m || (!m[2] && !m[3])) return undefined;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  const suffix = m[3]?.replace(/\./g, '');
  if (suffix) {
    if (hour < 1 || hour > 12) return undefined;
    if (suffix === 'pm' || suffix === 'yh') hour = (hour % 12) + 12;
    else hour %= 12;
  }
  if (hour > 23 || minute > 59) return undefined;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/**
 * What a typed value could mean as a date, a date and time, or a time, in the forms the schemas
 * take (`2027-01-15`, `2027-01-15 14:00`, `14:00`), most likely first. Empty when it is none of them.
 */
export function dateTimeReadings(text: string, now: Date): string[] {
  const out: string[] = [];
  const date = readDate(text, now);
  if (date) out.push(date);
  const time = readTime(text);
  if (time) out.push(time);
  // "15/01/2027 12:00", "tomorrow 2pm", "15 Jan 2027 at 14:00"
  const words = text.trim().split(/\s+/);
  for (let cut = words.length - 1; cut >= 1 && !date; cut--) {
    const d = readDate(words.slice(0, cut).join(' '), now);
    const t = readTime(words.slice(cut).join(' ').replace(/^(at|am) /i, ''));
    if (d && t) {
      out.push(`${d} ${t}`);
      break;
    }
  }
  return out;
}
