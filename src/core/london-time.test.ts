import { describe, expect, it } from 'vitest';
import { londonDay, londonOffsetMs, londonTime, londonToInstant, londonWallTime, londonWallToInstant } from './london-time.ts';

// The UK changes: clocks go forward at 01:00 GMT on the last Sunday of March (01:00 → 02:00) and
// back at 01:00 GMT on the last Sunday of October (02:00 BST → 01:00 GMT).
// 2026: 29 March and 25 October. 2027: 28 March and 31 October.
describe('London wall time → instant', () => {
  it.each([
    // ordinary winter and summer times
    ['2026-12-08', '14:00', '2026-12-08T14:00:00.000Z', 'GMT'],
    ['2027-07-13', '14:00', '2027-07-13T13:00:00.000Z', 'BST'],
    // spring 2026: 01:00–01:59 never happens; moved forward by the hour
    ['2026-03-29', '00:59', '2026-03-29T00:59:00.000Z', 'last minute of GMT'],
    ['2026-03-29', '01:00', '2026-03-29T01:00:00.000Z', 'skipped: read as 02:00 BST'],
    ['2026-03-29', '01:30', '2026-03-29T01:30:00.000Z', 'skipped: read as 02:30 BST'],
    ['2026-03-29', '02:00', '2026-03-29T01:00:00.000Z', 'first minute of BST'],
    ['2026-03-29', '03:30', '2026-03-29T02:30:00.000Z', 'BST'],
    // autumn 2026: 01:00–01:59 happens twice; the first (BST) is meant
    ['2026-10-25', '00:30', '2026-10-24T23:30:00.000Z', 'BST'],
    ['2026-10-25', '01:00', '2026-10-25T00:00:00.000Z', 'repeated: first occurrence (BST)'],
    ['2026-10-25', '01:30', '2026-10-25T00:30:00.000Z', 'repeated: first occurrence (BST)'],
    ['2026-10-25', '01:59', '2026-10-25T00:59:00.000Z', 'repeated: first occurrence (BST)'],
    ['2026-10-25', '02:00', '2026-10-25T02:00:00.000Z', 'GMT'],
    // spring 2027
    ['2027-03-28', '00:30', '2027-03-28T00:30:00.000Z', 'GMT'],
    ['2027-03-28', '01:30', '2027-03-28T01:30:00.000Z', 'skipped: read as 02:30 BST'],
    ['2027-03-28', '03:30', '2027-03-28T02:30:00.000Z', 'BST'],
    // autumn 2027
    ['2027-10-31', '00:59', '2027-10-30T23:59:00.000Z', 'BST'],
    ['2027-10-31', '01:30', '2027-10-31T00:30:00.000Z', 'repeated: first occurrence (BST)'],
    ['2027-10-31', '02:00', '2027-10-31T02:00:00.000Z', 'GMT'],
    // midnight at the edges of summer
    ['2026-03-29', '00:00', '2026-03-29T00:00:00.000Z', 'GMT midnight'],
    ['2026-03-30', '00:00', '2026-03-29T23:00:00.000Z', 'BST midnight'],
    ['2026-10-25', '00:00', '2026-10-24T23:00:00.000Z', 'BST midnight'],
    ['2026-10-26', '00:00', '2026-10-26T00:00:00.000Z', 'GMT midnight'],
  ])('%s %s in London is %s (%s)', (day, time, iso) => {
    expect(londonToInstant(day, time).toISOString()).toBe(iso);
  });

  it('reads seconds, and numbers as well as strings', () => {
    expect(londonToInstant('2027-10-31', '23:59:59').toISOString()).toBe('2027-10-31T23:59:59.000Z');
    expect(londonWallToInstant(2027, 6, 30, 23, 59, 59).toISOString()).toBe('2027-06-30T22:59:59.000Z');
    expect(londonWallToInstant(2026, 10, 25, 1, 30).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('instant → London wall time', () => {
  it.each([
    ['2025-06-30T23:30:00Z', '2025-07-01', '00:30', 'BST: 00:30 next day in London'],
    ['2025-06-30T22:59:59Z', '2025-06-30', '23:59', 'BST: 23:59 in London'],
    ['2025-12-31T23:30:00Z', '2025-12-31', '23:30', 'GMT: same as UTC'],
    ['2026-03-29T00:59:00Z', '2026-03-29', '00:59', 'last GMT minute before the spring change'],
    ['2026-03-29T01:00:00Z', '2026-03-29', '02:00', 'clocks go forward at 01:00 UTC'],
    ['2026-10-25T00:30:00Z', '2026-10-25', '01:30', 'the first 01:30'],
    ['2026-10-25T01:30:00Z', '2026-10-25', '01:30', 'the second 01:30'],
    ['2026-10-24T23:30:00Z', '2026-10-25', '00:30', 'still BST until 01:00 UTC on 25 Oct'],
    ['2027-03-28T01:00:00Z', '2027-03-28', '02:00', 'clocks go forward at 01:00 UTC'],
    ['2027-10-30T23:30:00Z', '2027-10-31', '00:30', 'BST'],
    ['2027-10-31T01:00:00Z', '2027-10-31', '01:00', 'GMT again'],
  ])('%s is %s %s in London (%s)', (instant, day, time) => {
    expect(londonDay(new Date(instant))).toBe(day);
    expect(londonTime(new Date(instant))).toBe(time);
  });

  it('gives the weekday and the offset', () => {
    expect(londonWallTime(new Date('2026-10-24T23:30:00Z'))).toEqual({ year: 2026, month: 10, day: 25, hour: 0, minute: 30, second: 0, weekday: 0 });
    expect(londonOffsetMs(Date.parse('2026-10-25T00:59:59Z'))).toBe(3_600_000);
    expect(londonOffsetMs(Date.parse('2026-10-25T01:00:00Z'))).toBe(0);
  });

  it('every wall time read back is the same wall time, except in the skipped hour', () => {
    for (const day of ['2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31']) {
      for (let h = 0; h < 24; h++) {
        for (const m of [0, 30, 59]) {
          const time = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
          const back = londonToInstant(day, time);
          const skipped = day.endsWith('-03-29') || day.endsWith('-03-28') ? h === 1 : false;
          expect(`${londonDay(back)} ${londonTime(back)}`).toBe(skipped ? `${day} 02:${time.slice(3)}` : `${day} ${time}`);
        }
      }
    }
  });

  it('rejects an invalid Date', () => {
    expect(() => londonDay(new Date('nope'))).toThrow(RangeError);
  });
});
