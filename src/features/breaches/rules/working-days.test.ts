import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  bankHolidays,
  easterSunday,
  isBankHoliday,
  isWorkingDay,
  workingDaysBetween,
} from './working-days.ts';

describe('bankHolidays: published GOV.UK lists (England and Wales)', () => {
  it.each([
    [2020, ['2020-01-01', '2020-04-10', '2020-04-13', '2020-05-08', '2020-05-25', '2020-08-31', '2020-12-25', '2020-12-28']],
    [2021, ['2021-01-01', '2021-04-02', '2021-04-05', '2021-05-03', '2021-05-31', '2021-08-30', '2021-12-27', '2021-12-28']],
    [
      2022,
      ['2022-01-03', '2022-04-15', '2022-04-18', '2022-05-02', '2022-06-02', '2022-06-03', '2022-08-29', '2022-09-19', '2022-12-26', '2022-12-27'],
    ],
    [2023, ['2023-01-02', '2023-04-07', '2023-04-10', '2023-05-01', '2023-05-08', '2023-05-29', '2023-08-28', '2023-12-25', '2023-12-26']],
    [2024, ['2024-01-01', '2024-03-29', '2024-04-01', '2024-05-06', '2024-05-27', '2024-08-26', '2024-12-25', '2024-12-26']],
    [2025, ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26']],
    [2026, ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28']],
    [2027, ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28']],
    [2012, ['2012-01-02', '2012-04-06', '2012-04-09', '2012-05-07', '2012-06-04', '2012-06-05', '2012-08-27', '2012-12-25', '2012-12-26']],
  ])('%i', (year, expected) => {
    expect(bankHolidays(year)).toEqual(expected);
  });

  it('returns a copy that callers cannot use to corrupt the cache', () => {
    const list = bankHolidays(2025);
    list.push('2025-07-04');
    expect(bankHolidays(2025)).not.toContain('2025-07-04');
  });

  it('rejects years outside the Gregorian range it supports', () => {
    expect(() => bankHolidays(1500)).toThrow(RangeError);
    expect(() => bankHolidays(2025.5)).toThrow(RangeError);
  });
});

describe('easterSunday', () => {
  it.each([
    [2000, '2000-04-23'],
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
  ])('%i → %s', (year, expected) => {
    expect(easterSunday(year)).toBe(expected);
  });
});

describe('isWorkingDay / isBankHoliday', () => {
  it.each([
    ['2026-04-03', false, 'Good Friday'],
    ['2026-04-06', false, 'Easter Monday'],
    ['2026-04-07', true, 'Tuesday after Easter'],
    ['2026-12-26', false, 'Saturday (Boxing Day)'],
    ['2026-12-28', false, 'substitute Boxing Day'],
    ['2026-12-29', true, 'ordinary Tuesday'],
    ['2025-06-14', false, 'Saturday'],
    ['2025-06-15', false, 'Sunday'],
    ['2025-06-16', true, 'Monday'],
  ])('%s → %s (%s)', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it('distinguishes a weekend from a bank holiday', () => {
    expect(isBankHoliday('2026-12-26')).toBe(false);
    expect(isBankHoliday('2026-12-28')).toBe(true);
  });

  it.each(['2025-02-30', '2025-13-01', '25-01-01', '2025-1-1', '2025-01-01T00:00:00Z', ''])('rejects %j', (bad) => {
    expect(() => isWorkingDay(bad)).toThrow(RangeError);
  });
});

describe('addWorkingDays (start day never counts)', () => {
  it.each([
    ['2025-06-16', 5, '2025-06-23', 'Mon + 5 → next Mon'],
    ['2025-06-20', 1, '2025-06-23', 'Fri + 1 → Mon'],
    ['2025-06-21', 5, '2025-06-27', 'filed Saturday: Monday is day 1, Friday day 5'],
    ['2025-06-22', 1, '2025-06-23', 'Sun + 1 → Mon'],
    ['2026-04-02', 1, '2026-04-07', 'Thu before Easter + 1 → Tue after Easter Monday'],
    ['2026-03-30', 5, '2026-04-08', 'Mon before Easter + 5 skips Good Friday and Easter Monday'],
    ['2026-12-23', 3, '2026-12-30', 'over Christmas 2026 (25 Fri, 28 Mon substitute)'],
    ['2025-12-24', 1, '2025-12-29', 'Christmas Eve + 1 → 29 Dec'],
    ['2025-12-31', 1, '2026-01-02', 'New Year'],
    ['2022-06-01', 1, '2022-06-06', 'Platinum Jubilee Thursday and Friday'],
    ['2022-09-16', 1, '2022-09-20', 'State funeral Monday'],
    ['2025-01-06', 20, '2025-02-03', '20 working days, no holidays'],
    ['2025-04-14', 20, '2025-05-15', '20 working days over Easter and early May'],
    ['2025-06-16', 0, '2025-06-16', 'n = 0 is the start'],
    ['2025-06-21', 0, '2025-06-21', 'n = 0 is the start even on a weekend'],
    ['2025-06-23', -1, '2025-06-20', 'Mon − 1 → Fri'],
    ['2026-04-07', -1, '2026-04-02', 'Tue after Easter − 1 → Thu before Good Friday'],
  ])('%s + %i → %s (%s)', (start, n, expected) => {
    expect(addWorkingDays(start, n)).toBe(expected);
  });

  it('rejects a fractional n', () => {
    expect(() => addWorkingDays('2025-06-16', 1.5)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  it.each([
    ['2025-06-16', '2025-06-16', 0],
    ['2025-06-16', '2025-06-23', 5],
    ['2025-06-20', '2025-06-23', 1],
    ['2025-06-20', '2025-06-22', 0],
    ['2026-04-02', '2026-04-07', 1],
    ['2025-06-23', '2025-06-16', -5],
    ['2025-06-23', '2025-06-20', -1],
    ['2025-01-01', '2025-12-31', 253],
  ])('%s → %s = %i', (a, b, expected) => {
    expect(workingDaysBetween(a, b)).toBe(expected);
  });

  it('is the inverse of addWorkingDays across holiday-heavy stretches', () => {
    const starts = ['2025-12-20', '2026-03-28', '2026-04-03', '2022-05-28', '2026-12-24', '2027-12-24'];
    for (const start of starts) {
      for (const n of [-15, -3, -1, 1, 2, 5, 20, 40]) {
        expect(workingDaysBetween(start, addWorkingDays(start, n))).toBe(n);
      }
    }
  });
});
