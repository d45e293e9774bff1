/**
 * Deadline reminders to members who marked an alert "interested": 7 days and 1 day before.
 * A scheduled job asks which reminder is due now; each is sent once per deadline (the
 * broadcast's dedupe key carries the deadline, so a moved deadline earns fresh reminders).
 * Only the latest due reminder is sent: someone who marks interest 3 days out gets the
 * 1-day reminder in time, not a stale "one week left" one.
 */
export const REMINDER_DAYS = [7, 1] as const;
export type ReminderKind = `${(typeof REMINDER_DAYS)[number]}d`;

const DAY_MS = 24 * 3600_000;

/** The reminder due at `now` for a deadline, or null (none yet, or the deadline has passed). */
export function dueReminder(deadline: Date, now: Date): ReminderKind | null {
  const left = deadline.getTime() - now.getTime();
  if (left <= 0) return null;
  // smallest window first: within 1 day → "1d"; within 7 days → "7d"
  for (const days of [...REMINDER_DAYS].sort((a, b) => a - b)) {
    if (left <= days * DAY_MS) return `${days}d`;
  }
  return null;
}

/** The dedupe key of a reminder broadcast. */
export const reminderKey = (alertId: string, kind: ReminderKind, deadline: Date): string =>
  `tenders:reminder:${alertId}:${kind}:${deadline.toISOString()}`;
