import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { parseCron, previousOccurrence } from './cron-time.ts';

const week = 7 * 24 * 3600_000;
const year = 366 * 24 * 3600_000;

describe('previousOccurrence', () => {
  it.each([
    ['every 5 minutes', '*/5 * * * *', '2026-11-22T10:07:30Z', '2026-11-22T10:05:00.000Z'],
    ['daily 09:00 in winter (GMT)', '0 9 * * *', '2026-11-22T08:00:00Z', '2026-11-21T09:00:00.000Z'],
    ['daily 09:00 in summer (BST = UTC+1)', '0 9 * * *', '2026-07-01T12:00:00Z', '2026-07-01T08:00:00.000Z'],
    ['Mondays 08:30 (digest)', '30 8 * * 1', '2026-11-22T12:00:00Z', '2026-11-16T08:30:00.000Z'],
    ['exactly on time', '0 12 * * *', '2026-11-22T12:00:00Z', '2026-11-22T12:00:00.000Z'],
    ['Sunday as 7', '0 0 * * 7', '2026-11-23T01:00:00Z', '2026-11-22T00:00:00.000Z'],
    ['Sunday as 0', '0 0 * * 0', '2026-11-23T01:00:00Z', '2026-11-22T00:00:00.000Z'],
    // what node-cron accepts beyond plain numbers
    ['a day name: mon', '0 9 * * mon', '2026-11-22T12:00:00Z', '2026-11-16T09:00:00.000Z'],
    ['a day name in capitals: MON', '0 9 * * MON', '2026-11-22T12:00:00Z', '2026-11-16T09:00:00.000Z'],
    ['a full day name: monday', '0 9 * * monday', '2026-11-22T12:00:00Z', '2026-11-16T09:00:00.000Z'],
    ['a range of day names: mon-fri', '0 9 * * mon-fri', '2026-11-22T12:00:00Z', '2026-11-20T09:00:00.000Z'],
    ['a list of day names: tue,thu', '0 9 * * tue,thu', '2026-11-22T12:00:00Z', '2026-11-19T09:00:00.000Z'],
    ['sat and sun', '30 7 * * sat,sun', '2026-11-23T12:00:00Z', '2026-11-22T07:30:00.000Z'],
    ['fri', '0 17 * * fri', '2026-11-22T12:00:00Z', '2026-11-20T17:00:00.000Z'],
    ['wed in summer', '0 9 * * wed', '2026-07-03T12:00:00Z', '2026-07-01T08:00:00.000Z'],
    ['month names: jan-mar', '0 9 1 jan-mar *', '2026-11-22T12:00:00Z', '2026-03-01T09:00:00.000Z'],
    ['six fields (seconds)', '30 0 9 * * *', '2026-11-22T12:00:00Z', '2026-11-22T09:00:30.000Z'],
    ['a nickname: @daily', '@daily', '2026-11-22T12:00:00Z', '2026-11-22T00:00:00.000Z'],
    ['the last day of the month', '0 9 L * *', '2026-11-22T12:00:00Z', '2026-10-31T09:00:00.000Z'],
    ['the second Tuesday', '0 14 * * 2#2', '2026-11-22T12:00:00Z', '2026-11-10T14:00:00.000Z'],
    // node-cron runs only when both restricted day fields match (not either)
    ['both day fields: Friday the 13th', '0 9 13 * fri', '2026-12-01T00:00:00Z', '2026-11-13T09:00:00.000Z'],
    // at the clock changes: 01:30 London does not happen in spring (node-cron does not fire, the
    // day before is the last due); in autumn it happens twice, and the first is the one due, so
    // node-cron's second firing finds the run already claimed
    ['01:30 on the spring change day (skipped hour)', '30 1 * * *', '2026-03-29T12:00:00Z', '2026-03-28T01:30:00.000Z'],
    ['01:30 on the autumn change day (repeated hour)', '30 1 * * *', '2026-10-25T12:00:00Z', '2026-10-25T00:30:00.000Z'],
    ['01:30 on the autumn change day 2027', '30 1 * * *', '2027-10-31T12:00:00Z', '2027-10-31T00:30:00.000Z'],
    ['02:30 the day after the spring change 2027', '30 2 * * *', '2027-03-28T12:00:00Z', '2027-03-28T01:30:00.000Z'],
  ])('%s', (_n, expr, now, expected) => {
    expect(previousOccurrence(expr, new Date(now), year)?.toISOString()).toBe(expected);
  });

  it('answers null outside the window', () => {
    expect(previousOccurrence('0 0 1 1 *', new Date('2026-11-22T00:00:00Z'), week)).toBeNull();
  });

  it.each(['* * *', '61 * * * *', '*/0 * * * *', 'a * * * *', '0 9 * * moonday'])('rejects %s, as node-cron does', (expr) => {
    expect(cron.validate(expr)).toBe(false);
    expect(() => parseCron(expr)).toThrow();
  });

  it.each(['0 9 * * mon', '0 9 * * monday', '0 9 * * Mon-Fri', '*/15 9-17 * * 1-5', '@weekly', '0 0 9 * * sun'])('accepts %s, as node-cron does', (expr) => {
    expect(cron.validate(expr)).toBe(true);
    expect(previousOccurrence(expr, new Date('2026-11-22T12:00:00Z'), year)).toBeInstanceOf(Date);
  });
});
