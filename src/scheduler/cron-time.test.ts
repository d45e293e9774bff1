import { describe, expect, it } from 'vitest';
import { parseCron, previousOccurrence } from './cron-time.ts';

const week = 7 * 24 * 3600_000;

describe('previousOccurrence', () => {
  it.each([
    ['every 5 minutes', '*/5 * * * *', '2026-11-22T10:07:30Z', '2026-11-22T10:05:00.000Z'],
    ['daily 09:00 in winter (GMT)', '0 9 * * *', '2026-11-22T08:00:00Z', '2026-11-21T09:00:00.000Z'],
    ['daily 09:00 in summer (BST = UTC+1)', '0 9 * * *', '2026-07-01T12:00:00Z', '2026-07-01T08:00:00.000Z'],
    ['Mondays 08:30 (digest)', '30 8 * * 1', '2026-11-22T12:00:00Z', '2026-11-16T08:30:00.000Z'],
    ['exactly on time', '0 12 * * *', '2026-11-22T12:00:00Z', '2026-11-22T12:00:00.000Z'],
    ['Sunday as 7', '0 0 * * 7', '2026-11-23T01:00:00Z', '2026-11-22T00:00:00.000Z'],
  ])('%s', (_n, expr, now, expected) => {
    expect(previousOccurrence(expr, new Date(now), week)?.toISOString()).toBe(expected);
  });

  it('answers null outside the window', () => {
    expect(previousOccurrence('0 0 1 1 *', new Date('2026-11-22T00:00:00Z'), week)).toBeNull();
  });

  it.each(['* * *', '61 * * * *', '*/0 * * * *', 'a * * * *'])('rejects %s', (expr) => {
    expect(() => parseCron(expr)).toThrow();
  });
});
