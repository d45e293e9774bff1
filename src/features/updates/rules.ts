/**
 * The rules of updates and consultations as pure functions: themes, the Compact's 12 weeks,
 * reminder days, the digest's week and a feed's backoff (DOMAIN.md, "LSB updates and consultations").
 */
import { previousOccurrence } from '../../scheduler/cron-time.ts';

export const DAY_MS = 24 * 3600_000;
/** The Compact standard: a consultation runs at least twelve weeks. */
export const COMPACT_MIN_DAYS = 84;
export const STANDARD_THEMES = ['health', 'safety', 'children', 'environment', 'economy', 'sip'] as const;
export type StandardTheme = (typeof STANDARD_THEMES)[number];

export const LIMITS = { title: 200, body: 1200, link: 500, runBy: 160, view: 2000, outcome: 2000, themeName: 60 } as const;

export interface ConsultationLength {
  lengthDays: number;
  shortConsultation: boolean;
}

/** Days from opening to closing date (both calendar dates); under 84 is short of the Compact. */
export function consultationLength(opensOn: Date, closesOn: Date): ConsultationLength {
  const lengthDays = Math.round((startOfDay(closesOn).getTime() - startOfDay(opensOn).getTime()) / DAY_MS);
  return { lengthDays, shortConsultation: lengthDays < COMPACT_MIN_DAYS };
}

export const startOfDay = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/** What is wrong with a consultation's dates, as a catalogue key; null when they are fine. */
export function checkConsultationDates(opensOn: Date, closesOn: Date, now: Date): 'updates.consultation.closesInPast' | 'updates.consultation.closesBeforeOpens' | null {
  if (closesOn.getTime() < startOfDay(now).getTime()) return 'updates.consultation.closesInPast';
  if (closesOn.getTime() <= opensOn.getTime()) return 'updates.consultation.closesBeforeOpens';
  return null;
}

/** A consultation is open for views until the end of its closing day. */
export const isClosed = (closesOn: Date, now: Date): boolean => now.getTime() >= startOfDay(closesOn).getTime() + DAY_MS;

export type Reminder = '14d' | '3d';

/**
 * Which reminder is due now: two weeks before the closing date, then three days before. A
 * reminder whose day had passed when the consultation was posted is not sent (the post was
 * the notice); once the three-day one is due the two-week one is skipped.
 */
export function dueReminder(
  c: { closesOn: Date; postedAt: Date; reminded14At: Date | null; reminded3At: Date | null },
  now: Date,
): Reminder | null {
  if (isClosed(c.closesOn, now)) return null;
  const close = startOfDay(c.closesOn).getTime();
  const mark3 = close - 3 * DAY_MS;
  const mark14 = close - 14 * DAY_MS;
  const t = now.getTime();
  if (t >= mark3) return !c.reminded3At && c.postedAt.getTime() < mark3 ? '3d' : null;
  if (t >= mark14) return !c.reminded14At && c.postedAt.getTime() < mark14 ? '14d' : null;
  return null;
}

/** The days left until the end of the closing day, rounded up. */
export const daysLeft = (closesOn: Date, now: Date): number => Math.max(0, Math.ceil((startOfDay(closesOn).getTime() + DAY_MS - now.getTime()) / DAY_MS));

/**
 * The digest due at or before `now` for a forum's weekday (0 = Sunday) and hour, London time,
 * and the window it covers: from the end of the last digest (or a week before) to that time.
 * Null when that digest was already sent.
 */
export function digestDue(
  settings: { digestWeekday: number; digestHour: number; lastDigestAt: Date | null },
  now: Date,
): { from: Date; to: Date } | null {
  const to = previousOccurrence(`0 ${settings.digestHour} * * ${settings.digestWeekday}`, now, 7 * DAY_MS + 3600_000);
  if (!to) return null;
  if (settings.lastDigestAt && settings.lastDigestAt.getTime() >= to.getTime()) return null;
  const from = settings.lastDigestAt ?? new Date(to.getTime() - 7 * DAY_MS);
  return { from, to };
}

/** How long to wait before polling a feed again after `failures` failures in a row. */
export function feedBackoffMs(failures: number, baseMs = 15 * 60_000, capMs = DAY_MS): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, failures - 1));
}

export const FEED_INTERVAL_MS = 15 * 60_000;

/** A theme a member typed, matched to a key: a standard key or label, or one of the forum's own. */
export function resolveTheme(
  input: string,
  labels: { key: string; names: string[] }[],
): string | undefined {
  const q = input.trim().toLowerCase();
  if (!q) return undefined;
  const hit = labels.find((l) => l.key.toLowerCase() === q || l.names.some((n) => n.toLowerCase() === q));
  if (hit) return hit.key;
  const partial = labels.filter((l) => l.names.some((n) => n.toLowerCase().includes(q)));
  return partial.length === 1 ? partial[0].key : undefined;
}

export const themeKeyOf = (name: string): string =>
  name.toLowerCase().normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/[\s_]+/g, '-').slice(0, 40);
