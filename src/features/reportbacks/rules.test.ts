import { describe, expect, it } from 'vitest';
import { parseActions } from './actions.ts';
import { buildCalendar, escapeText, foldLine } from './ical.ts';
import { nthWeekday, nthWeekdayOf, occurrences, parseRepeat, reportDueAt } from './schedule.ts';

describe('meeting dates', () => {
  it.each([
    [2026, 12, 2, 2, '2026-12-08'],
    [2027, 1, 1, 1, '2027-01-04'],
    [2027, 1, -1, 5, '2027-01-29'],
    [2027, 2, 4, 6, '2027-02-27'],
    [2027, 3, -1, 2, '2027-03-30'],
  ])('nth weekday %i-%i #%i day %i is %s', (y, m, n, w, day) => {
    expect(nthWeekday(y, m, n, w)).toBe(day);
  });

  it('reads patterns in English and Welsh', () => {
    expect(parseRepeat('second Tuesday')).toEqual({ repeat: 'MONTHLY', nth: 2, weekday: 2 });
    expect(parseRepeat('monthly on the last Friday')).toEqual({ repeat: 'MONTHLY', nth: -1, weekday: 5 });
    expect(parseRepeat('quarterly')).toEqual({ repeat: 'QUARTERLY', nth: undefined, weekday: undefined });
    expect(parseRepeat('quarterly, first Monday')).toEqual({ repeat: 'QUARTERLY', nth: 1, weekday: 1 });
    expect(parseRepeat('yr ail ddydd Mawrth')).toEqual({ repeat: 'MONTHLY', nth: 2, weekday: 2 });
    expect(parseRepeat('chwarterol')).toEqual({ repeat: 'QUARTERLY', nth: undefined, weekday: undefined });
    expect(parseRepeat('fortnightly')).toBeNull();
    expect(parseRepeat('second')).toBeNull();
    expect(parseRepeat('')).toBeNull();
    expect(nthWeekdayOf('2026-12-08')).toEqual({ nth: 2, weekday: 2 });
  });

  it('lists occurrences monthly and quarterly', () => {
    expect(occurrences({ repeat: 'MONTHLY', nth: 2, weekday: 2 }, '2026-12-09', '2027-03-31')).toEqual(['2027-01-12', '2027-02-09', '2027-03-09']);
    expect(occurrences({ repeat: 'QUARTERLY', nth: 1, weekday: 1 }, '2026-12-01', '2027-12-31')).toEqual(['2026-12-07', '2027-03-01', '2027-06-07', '2027-09-06', '2027-12-06']);
  });

  it('a report-back is due at the end of the tenth day', () => {
    expect(reportDueAt(new Date('2026-12-08T14:00:00Z'), 10).toISOString()).toBe('2026-12-19T00:00:00.000Z');
    expect(reportDueAt(new Date('2027-07-01T23:30:00Z'), 0).toISOString()).toBe('2027-07-02T23:00:00.000Z');
  });
});

describe('actions', () => {
  it('reads what, who and when', () => {
    const r = parseActions('- Write to the LHB about discharge; Alys; 2026-12-20\nShare the SIP draft | Council officer | 2027-01-10', '2026-12-08');
    expect(r.problems).toEqual([]);
    expect(r.actions).toEqual([
      { what: 'Write to the LHB about discharge', who: 'Alys', dueOn: '2026-12-20' },
      { what: 'Share the SIP draft', who: 'Council officer', dueOn: '2027-01-10' },
    ]);
  });

  it('an action without an owner or a date is refused, line by line, and nothing is kept', () => {
    const r = parseActions('Good one; Alys; 2026-12-20\nNo owner\nNo date; Bryn\nBad; Bryn; 2026-13-45\nOld; Bryn; 2026-01-01', '2026-12-08');
    expect(r.actions).toEqual([]);
    expect(r.problems.map((p) => `${p.key}:${p.params.line}`)).toEqual([
      'reportbacks.action.noOwner:2',
      'reportbacks.action.noDate:2',
      'reportbacks.action.noDate:3',
      'reportbacks.action.badDate:4',
      'reportbacks.action.pastDate:5',
    ]);
  });
});

describe('iCalendar', () => {
  it('escapes text and folds long lines at 75 octets without splitting a character', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
    const long = `DESCRIPTION:${'Cyfarfod ŵyl '.repeat(12)}`;
    const folded = foldLine(long);
    for (const l of folded.split('\r\n')) expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.split('\r\n').map((l, i) => (i ? l.slice(1) : l)).join('')).toBe(long);
  });

  it('builds a calendar with CRLF lines and stable UIDs', () => {
    const ev = { uid: 'm1@forumbot', start: new Date('2026-12-08T14:00:00Z'), end: new Date('2026-12-08T16:00:00Z'), summary: 'Health Board, meeting', location: 'County Hall; Llandrindod', url: 'https://example.org/papers', lastModified: new Date('2026-11-22T10:00:00Z'), created: new Date('2026-11-22T10:00:00Z') };
    const ics = buildCalendar({ name: 'Powys', prodId: '-//forumbot//EN', events: [ev], now: new Date('2026-11-22T10:00:00Z') });
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics).toContain('UID:m1@forumbot\r\n');
    expect(ics).toContain('DTSTART:20261208T140000Z\r\n');
    expect(ics).toContain('SUMMARY:Health Board\\, meeting\r\n');
    expect(ics).toContain('LOCATION:County Hall\\; Llandrindod\r\n');
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });
});
