import { describe, expect, it } from 'vitest';
import { dueReminder, reminderKey } from './reminders.ts';

const deadline = new Date('2026-12-10T12:00:00Z');

describe('dueReminder', () => {
  it.each<[string, string, string | null]>([
    ['two weeks before', '2026-11-26T12:00:00Z', null],
    ['just over 7 days before', '2026-12-03T11:59:00Z', null],
    ['exactly 7 days before', '2026-12-03T12:00:00Z', '7d'],
    ['3 days before', '2026-12-07T12:00:00Z', '7d'],
    ['just over 1 day before', '2026-12-09T11:59:00Z', '7d'],
    ['exactly 1 day before', '2026-12-09T12:00:00Z', '1d'],
    ['an hour before', '2026-12-10T11:00:00Z', '1d'],
    ['at the deadline', '2026-12-10T12:00:00Z', null],
    ['after the deadline', '2026-12-11T12:00:00Z', null],
  ])('%s → %s', (_, now, expected) => {
    expect(dueReminder(deadline, new Date(now))).toBe(expected);
  });

  it('keys carry the deadline, so a moved deadline gets new reminders', () => {
    expect(reminderKey('a', '7d', deadline)).not.toBe(reminderKey('a', '7d', new Date('2026-12-17T12:00:00Z')));
  });
});
