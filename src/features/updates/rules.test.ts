import { describe, expect, it } from 'vitest';
import { checkConsultationDates, consultationLength, digestDue, dueReminder, feedBackoffMs } from './rules.ts';

const d = (s: string) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s);

describe('consultation length and the Compact’s 12 weeks', () => {
  it.each([
    // Wiltshire review (DOMAIN.md, 004:L395): "a three day consultation timetable … in contravention of the agreed twelve week timescale"
    ['the three-day consultation of the Wiltshire review', '2027-01-11', '2027-01-14', 3, true],
    ['exactly 12 weeks', '2027-01-04', '2027-03-29', 84, false],
    ['one day short of 12 weeks', '2027-01-04', '2027-03-28', 83, true],
    ['across the spring clock change', '2027-03-01', '2027-05-24', 84, false],
    ['six months', '2027-01-01', '2027-07-01', 181, false],
  ])('%s', (_n, opens, closes, days, short) => {
    expect(consultationLength(d(opens), d(closes))).toEqual({ lengthDays: days, shortConsultation: short });
  });

  it.each([
    ['closing date in the past', '2026-10-01', '2026-11-21', 'updates.consultation.closesInPast'],
    ['closes before it opens', '2027-02-01', '2027-01-01', 'updates.consultation.closesBeforeOpens'],
    ['closes the day it opens', '2027-02-01', '2027-02-01', 'updates.consultation.closesBeforeOpens'],
    ['closes today (opened earlier)', '2026-11-01', '2026-11-22', null],
    ['fine', '2026-12-01', '2027-03-01', null],
  ])('%s', (_n, opens, closes, problem) => {
    expect(checkConsultationDates(d(opens), d(closes), d('2026-11-22T10:00:00Z'))).toBe(problem);
  });
});

describe('consultation reminders', () => {
  const c = { closesOn: d('2027-03-29'), postedAt: d('2027-01-04T09:00:00Z'), reminded14At: null, reminded3At: null };
  it.each([
    ['three weeks before', '2027-03-08T08:00:00Z', c, null],
    ['two weeks before', '2027-03-15T08:00:00Z', c, '14d'],
    ['two weeks reminder already sent', '2027-03-16T08:00:00Z', { ...c, reminded14At: d('2027-03-15') }, null],
    ['three days before', '2027-03-26T08:00:00Z', { ...c, reminded14At: d('2027-03-15') }, '3d'],
    ['three days, two-week one was missed: only the 3-day one', '2027-03-26T08:00:00Z', c, '3d'],
    ['closing day itself', '2027-03-29T08:00:00Z', { ...c, reminded14At: d('2027-03-15') }, '3d'],
    ['after closing', '2027-03-30T08:00:00Z', c, null],
    ['posted 10 days before close: no two-week reminder', '2027-03-20T08:00:00Z', { ...c, postedAt: d('2027-03-19') }, null],
    ['posted 2 days before close: no reminders', '2027-03-28T08:00:00Z', { ...c, postedAt: d('2027-03-27') }, null],
  ])('%s', (_n, now, cons, expected) => {
    expect(dueReminder(cons, d(now))).toBe(expected);
  });
});

describe('digest window', () => {
  const s = { digestWeekday: 1, digestHour: 9, lastDigestAt: null };
  it('is due at the forum’s hour on its day, London time, covering the week before', () => {
    expect(digestDue(s, d('2026-11-23T09:00:00Z'))).toEqual({ from: d('2026-11-16T09:00:00Z'), to: d('2026-11-23T09:00:00Z') });
  });
  it('in summer time 09:00 London is 08:00 UTC', () => {
    expect(digestDue(s, d('2027-06-07T08:00:00Z'))?.to).toEqual(d('2027-06-07T08:00:00Z'));
  });
  it('starts where the last digest ended, and is not due twice', () => {
    const last = { ...s, lastDigestAt: d('2026-11-16T09:00:00Z') };
    expect(digestDue(last, d('2026-11-23T12:00:00Z'))).toEqual({ from: d('2026-11-16T09:00:00Z'), to: d('2026-11-23T09:00:00Z') });
    expect(digestDue({ ...s, lastDigestAt: d('2026-11-23T09:00:00Z') }, d('2026-11-23T10:00:00Z'))).toBeNull();
  });
});

describe('feed backoff', () => {
  it('doubles from 15 minutes and stops at a day', () => {
    expect([1, 2, 3, 4, 20].map((n) => feedBackoffMs(n) / 60_000)).toEqual([15, 30, 60, 120, 1440]);
  });
});
