import { describe, expect, it } from 'vitest';
import { dateTimeReadings, readDate, readTime } from './dates.ts';

// Saturday 5 December 2026, 23:30 UTC: already Saturday in London too (GMT in winter)
const now = new Date('2026-12-05T23:30:00Z');
// Sunday 29 March 2026 00:30 UTC is 01:30 BST... and 23:30 UTC on 28 June is 00:30 on the 29th in London
const summerNight = new Date('2027-06-28T23:30:00Z');

describe('UK dates as people type them', () => {
  it.each([
    ['15/01/2027', '2027-01-15'],
    ['15/1/27', '2027-01-15'],
    ['05-02-2027', '2027-02-05'], // 5 February, never May 2nd
    ['5.2.2027', '2027-02-05'],
    ['2027-01-15', '2027-01-15'],
    ['15 Jan 2027', '2027-01-15'],
    ['15 jan 2027', '2027-01-15'],
    ['15 January 2027', '2027-01-15'],
    ['15th January 2027', '2027-01-15'],
    ['Friday 15 January 2027', '2027-01-15'],
    ['15 Ionawr 2027', '2027-01-15'],
    ['15 ionawr 2027', '2027-01-15'],
    ['1 Mawrth 2027', '2027-03-01'],
    ['15 Jan', '2027-01-15'], // no year: the next 15 January
    ['5 Dec', '2026-12-05'], // today counts
    ['today', '2026-12-05'],
    ['heddiw', '2026-12-05'],
    ['tomorrow', '2026-12-06'],
    ['Tomorrow', '2026-12-06'],
    ['yfory', '2026-12-06'],
    ['next Friday', '2026-12-11'],
    ['Friday', '2026-12-11'],
    ['next saturday', '2026-12-12'], // today is Saturday: a week on
    ['dydd Gwener nesaf', '2026-12-11'],
    ['ddydd Gwener nesaf', '2026-12-11'],
    ['Gwener nesaf', '2026-12-11'],
    ['dydd Llun', '2026-12-07'],
  ])('%s → %s', (typed, day) => {
    expect(readDate(typed, now)).toBe(day);
  });

  it.each(['31/02/2027', '15/13/2027', '2027-02-30', 'Health Board', 'next week', 'fri', 'gwener', '15', '', 'soon'])('%s is not a date', (typed) => {
    expect(readDate(typed, now)).toBeUndefined();
  });

  it('tomorrow is London’s tomorrow, not the server’s', () => {
    expect(readDate('tomorrow', summerNight)).toBe('2027-06-30');
  });
});

describe('times', () => {
  it.each([
    ['14:00', '14:00'],
    ['14.00', '14:00'],
    ['9:30', '09:30'],
    ['2pm', '14:00'],
    ['2.30pm', '14:30'],
    ['2:30 pm', '14:30'],
    ['12am', '00:00'],
    ['12pm', '12:00'],
    ['noon', '12:00'],
    ['hanner dydd', '12:00'],
    ['10yb', '10:00'],
    ['3yh', '15:00'],
  ])('%s → %s', (typed, time) => {
    expect(readTime(typed)).toBe(time);
  });

  it.each(['25:00', '13pm', '14', 'two', '14:75'])('%s is not a time', (typed) => {
    expect(readTime(typed)).toBeUndefined();
  });

  it('a date and a time together', () => {
    expect(dateTimeReadings('15/01/2027 12:00', now)).toEqual(['2027-01-15 12:00']);
    expect(dateTimeReadings('tomorrow at 2pm', now)).toEqual(['2026-12-06 14:00']);
    expect(dateTimeReadings('15 Jan 2027', now)).toEqual(['2027-01-15']);
    expect(dateTimeReadings('the board', now)).toEqual([]);
  });
});
