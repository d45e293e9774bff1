import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCountCli } from './count-cli.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GOVAN = path.resolve(HERE, '../../../../test/data/stv/glasgow-2007/Govan-2007.blt');
const dir = mkdtempSync(path.join(os.tmpdir(), 'count-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
}

const simple = file('simple.blt', '3 2\n6 1 2 0\n3 2 0\n2 3 0\n0\n"Ann"\n"Bob"\n"Cat"\n"Simple"\n');

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

describe('forumbot count', () => {
  it('prints a round-by-round table by default', async () => {
    expect(await runCountCli(['count', simple])).toBe(0);
    expect(out).toContain('Simple — Scottish STV, 2 seats');
    expect(out).toContain('Valid papers: 11   Quota: 4');
    expect(out).toMatch(/Bob\s+3\.00000\s+4\.99998/);
    expect(out).toContain('1. Ann (6.00000 votes, round 1)');
    expect(out).toContain('2. Bob (4.99998 votes, round 2)');
    expect(err).toBe('');
  });

  it('prints exactly one JSON object with --json', async () => {
    expect(await runCountCli([simple, '--json'])).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(1);
    const result = JSON.parse(out);
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['method', 'seats', 'ballots', 'quota', 'elected', 'rounds']));
    expect(result).toMatchObject({ method: 'scottish-stv', seats: 2, ballots: 11, quota: 4 });
    expect(result.elected).toEqual([
      { name: 'Ann', votes: '6.00000' },
      { name: 'Bob', votes: '4.99998' },
    ]);
  });

  it.each([
    [['--method', 'meek-stv'], 'meek-stv'],
    [['--method=fptp'], 'fptp'],
    [['-m', 'block'], 'block'],
  ])('takes the method from %j', async (flags, method) => {
    expect(await runCountCli(['count', simple, ...flags, '--json'])).toBe(0);
    expect(JSON.parse(out).method).toBe(method);
  });

  it('records the seed given with --seed', async () => {
    expect(await runCountCli([simple, '--json', '--seed', 'abc'])).toBe(0);
    expect(JSON.parse(out).seed).toBe('abc');
  });

  it('counts a real ward', async () => {
    expect(await runCountCli(['count', GOVAN, '--json'])).toBe(0);
    expect(JSON.parse(out).elected).toContainEqual({ name: 'Shaukat Butt', votes: '1675.73560' });
  });

  it('exits 1 with the line number when the file is malformed', async () => {
    const bad = file('bad.blt', '3 1\n1 1 4 0\n0\n"A"\n"B"\n"C"\n');
    expect(await runCountCli(['count', bad])).toBe(1);
    expect(err).toBe(`forumbot count: ${bad}: line 2: preference 4 is not a candidate (there are 3)\n`);
    expect(out).toBe('');
  });

  it.each([
    ['an unknown method', () => [simple, '--method', 'borda'], /unknown method "borda"/],
    ['a missing file', () => [path.join(dir, 'nope.blt')], /cannot read .*nope\.blt: no such file/],
    ['no file at all', () => ['count'], /no BLT file given/],
    ['an unknown option', () => [simple, '--fast'], /unknown option --fast/],
    ['a method unfit for the election', () => [simple, '--method', 'av'], /fills one seat, but this election has 2/],
  ])('exits 2 for %s', async (_, argv, message) => {
    expect(await runCountCli(argv())).toBe(2);
    expect(err).toMatch(message);
    expect(out).toBe('');
  });

  it('prints usage with --help', async () => {
    expect(await runCountCli(['count', '--help'])).toBe(0);
    expect(out).toMatch(/^usage: forumbot count FILE\.blt/);
  });

  it('imports nothing but its own folder and node built-ins, to start fast', () => {
    for (const name of readdirSync(HERE).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const source = readFileSync(path.join(HERE, name), 'utf8');
      for (const [, spec] of source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)) {
        expect(spec, `${name} imports ${spec}`).toMatch(/^(\.\/[a-z-]+\.ts|node:[a-z_/]+)$/);
      }
    }
  });
});
