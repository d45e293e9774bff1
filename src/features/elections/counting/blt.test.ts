import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BltSyntaxError, parseBlt, toBlt, type ParsedElection } from './blt.ts';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../test/data');

describe('parseBlt', () => {
  it('reads header, withdrawn line, ids, blank lines, quoted and bare names, and the title', () => {
    const text = [
      '4 2',
      '-3',
      '(b1) 2 1 2 0',
      '',
      '1 4 0',
      '(b2) 3 2 1 4 0',
      '0',
      '"Ann Able"',
      '"Bob ""the Builder"" Baker"',
      'Cat  Cole ',
      '"Dan Dee"',
      '"Ward 7"',
    ].join('\r\n');
    expect(parseBlt(text)).toEqual({
      candidates: ['Ann Able', 'Bob "the Builder" Baker', 'Cat Cole', 'Dan Dee'],
      seats: 2,
      withdrawn: [2],
      ballots: [
        { weight: 2, prefs: [0, 1] },
        { weight: 1, prefs: [3] },
        { weight: 3, prefs: [1, 0, 3] },
      ],
      title: 'Ward 7',
    });
  });

  it('merges identical rankings in order of first appearance, adding weights', () => {
    const e = parseBlt('3 1\n1 1 2 0\n1 3 0\n2 1 2 0\n1 1  2   0\n1 3 0\n0\n"A"\n"B"\n"C"\n"T"\n');
    expect(e.ballots).toEqual([
      { weight: 4, prefs: [0, 1] },
      { weight: 2, prefs: [2] },
    ]);
  });

  it('keeps an empty ranking and allows a missing title and a file without a final newline', () => {
    const e = parseBlt('2 1\n1 0\n3 2 0\n0\n"A"\n"B"');
    expect(e.ballots).toEqual([
      { weight: 1, prefs: [] },
      { weight: 3, prefs: [1] },
    ]);
    expect(e.title).toBe('');
  });

  const errors: [string, string, number, RegExp][] = [
    ['an empty file', '', 1, /the file is empty/],
    ['a bad first line', 'x 2\n', 1, /"x" is not a whole number/],
    ['a first line with one number', '3\n', 1, /two whole numbers/],
    ['more seats than candidates', '2 3\n', 1, /3 seats but only 2 candidates/],
    ['a ballot without its closing 0', '3 1\n1 1 2\n0\n"A"\n"B"\n"C"\n', 2, /a ballot line must end with 0/],
    ['a preference out of range', '3 1\n1 2 0\n\n1 1 4 0\n0\n', 4, /preference 4 is not a candidate \(there are 3\)/],
    ['a candidate ranked twice', '3 1\n1 1 2 1 0\n0\n', 2, /candidate 1 is ranked twice in one ballot/],
    ['a missing name', '3 1\n1 1 0\n0\n"A"\n"B"\n', 6, /candidate name 3 of 3 is missing: the file ends after 2 names/],
    ['names before the closing 0', '3 1\n1 1 0\n"A"\n', 3, /candidate names must come after a line holding just 0/],
    ['ballots that never end', '3 1\n1 1 0\n2 2 0\n', 3, /the ballots never end/],
    ['an unclosed quote', '2 1\n1 1 0\n0\n"A\n"B"\n', 4, /opens a quote but never closes it/],
    ['a withdrawn candidate out of range', '3 1\n-4\n1 1 0\n0\n', 2, /withdrawn candidate 4 is not a candidate/],
    ['equal preferences', '3 1\n1 1=2 0\n0\n', 2, /equal preferences \(=\) are not supported/],
    ['a zero weight', '3 1\n0 1 2 0\n0\n', 2, /a ballot weight must be at least 1/],
    ['text after the closing 0', '3 1\n1 1 0 2\n0\n', 2, /nothing may follow the 0/],
    ['a duplicate name', '2 1\n1 1 0\n0\n"A"\n"A"\n', 5, /candidate name "A" is used twice/],
    ['lines after the title', '2 1\n1 1 0\n0\n"A"\n"B"\n"T"\n"more"\n', 7, /unexpected text after the title/],
    ['a weight that is not a number', '3 1\nabc 1 0\n0\n', 2, /must start with its weight, a whole number, not "abc"/],
    ['an unclosed ballot id', '3 1\n(a 1 1 0\n0\n', 2, /ballot id opens a parenthesis/],
    ['a preference that is not a number', '3 1\n1 1 b 0\n0\n', 2, /preference "b" is not a candidate number/],
  ];

  it.each(errors)('reports %s with its line number', (_, text, line, message) => {
    let caught: unknown;
    try {
      parseBlt(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BltSyntaxError);
    const error = caught as BltSyntaxError;
    expect(error.line).toBe(line);
    expect(error.message).toMatch(new RegExp(`^line ${line}: `));
    expect(error.message).toMatch(message);
  });
});

describe('toBlt', () => {
  const handMade: ParsedElection = {
    candidates: ['Ann', 'Bob "B" Baker', 'Cat'],
    seats: 2,
    withdrawn: [1],
    ballots: [
      { weight: 5, prefs: [0, 2] },
      { weight: 1, prefs: [1] },
      { weight: 2, prefs: [2, 1, 0] },
    ],
    title: 'A "quoted" title',
  };

  it('writes text that parses back to the same election', () => {
    expect(parseBlt(toBlt(handMade))).toEqual(handMade);
    expect(toBlt(handMade)).toBe('3 2\n-2\n5 1 3 0\n1 2 0\n2 3 2 1 0\n0\n"Ann"\n"Bob ""B"" Baker"\n"Cat"\n"A ""quoted"" title"\n');
  });

  const glasgow = path.join(DATA, 'stv/glasgow-2007');
  it('round-trips every Glasgow 2007 ward and a sample of 2012 wards', () => {
    const files = readdirSync(glasgow)
      .filter((f) => f.endsWith('.blt'))
      .map((f) => path.join(glasgow, f));
    const scot = path.join(DATA, 'scottish-stv-2012');
    const all = readdirSync(scot).filter((f) => f.endsWith('.blt')).sort();
    files.push(...all.filter((_, i) => i % 25 === 0).map((f) => path.join(scot, f)));
    for (const file of files) {
      const election = parseBlt(readFileSync(file, 'utf8'));
      expect(parseBlt(toBlt(election)), file).toEqual(election);
    }
  });
});
