/**
 * Counts of real Scottish council elections: the 21 Glasgow wards of 2007 against recorded
 * results (test/fixtures/glasgow-2007-results.json, with sources), and a sample of the 353
 * wards of 2012 for internal consistency.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBlt } from './blt.ts';
import { countElection } from './index.ts';
import { countScottishStv } from './scottish-stv.ts';
import type { CountResult } from './types.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../../..');
const DATA = path.join(ROOT, 'test/data');
const GLASGOW = path.join(DATA, 'stv/glasgow-2007');
const SCOTLAND_2012 = path.join(DATA, 'scottish-stv-2012');

interface ExpectedWard {
  file: string;
  seats: number;
  validBallots: number;
  quota: number;
  stages: number;
  finalNonTransferable: string;
  elected: { name: string; votes: string; stage: number }[];
}

interface PublishedTotals {
  byStage?: Record<string, number[]>;
  atStage?: number;
  totals?: Record<string, number>;
  surplus?: Record<string, number>;
}

const fixture = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/glasgow-2007-results.json'), 'utf8')) as {
  wards: Record<string, ExpectedWard>;
  crossChecks: {
    firstPreferencesAndCounts: Record<string, { firstPreferences: Record<string, number>; electedAtStage: Record<string, number> }>;
    electedConfirmed: Record<string, { names: string[] }>;
    electedPartly: Record<string, { names: string[] }>;
    publishedStageTotals: Record<string, PublishedTotals>;
  };
};

const units = (s: string | number): number => Math.round(Number(s) * 100000);

/** The invariants every Scottish STV count must satisfy, whatever the election. */
function expectConsistent(result: CountResult, label: string): void {
  const valid = result.ballots * 100000;
  expect(result.quota, label).toBe(Math.floor(result.ballots / (result.seats + 1)) + 1);
  const quota = units(result.quota as number);
  const electedAt = new Map<string, number>();
  for (const round of result.rounds) {
    const votes = Object.values(round.votes).map(units);
    expect(votes.every((v) => v >= 0), `${label} round ${round.round}: no negative totals`).toBe(true);
    const sum = votes.reduce((a, v) => a + v, 0) + units(round.nonTransferable) + units(round.truncationLoss ?? 0);
    expect(sum, `${label} round ${round.round}: totals + non-transferable + truncation = valid papers`).toBe(valid);
    expect(units(round.truncationLoss ?? 0), `${label}: truncation loses less than 0.00001 a paper`).toBeLessThanOrEqual(result.ballots);
    for (const name of round.excluded) expect(units(round.votes[name]), `${label}: ${name} emptied`).toBe(0);
    for (const name of round.elected) electedAt.set(name, round.round);
    if (round.action === 'surplus') expect(units(round.votes[round.candidate!]), `${label}: left with the quota`).toBe(quota);
  }
  const last = result.rounds.length;
  expect(result.elected.length, `${label}: every seat filled`).toBe(result.seats);
  for (const e of result.elected) {
    // Below the quota is only possible for the last seats, filled under rule 52.
    if (units(e.votes) < quota) expect(electedAt.get(e.name), `${label}: ${e.name} elected short of quota only at the end`).toBe(last);
  }
}

describe('Glasgow City Council, 3 May 2007', () => {
  it.each(Object.entries(fixture.wards))('%s reproduces the recorded result', (_, expected) => {
    const result = countScottishStv(parseBlt(readFileSync(path.join(GLASGOW, expected.file), 'utf8')));
    expect(result.seats).toBe(expected.seats);
    expect(result.ballots).toBe(expected.validBallots);
    expect(result.quota).toBe(expected.quota);
    expect(result.rounds).toHaveLength(expected.stages);
    expect(result.rounds.at(-1)!.nonTransferable).toBe(expected.finalNonTransferable);
    const stageOf = (name: string) => result.rounds.find((r) => r.elected.includes(name))!.round;
    expect(result.elected.map((e) => ({ name: e.name, votes: e.votes, stage: stageOf(e.name) }))).toEqual(expected.elected);
    expectConsistent(result, expected.file);
  });

  const count = (ward: string) => countScottishStv(parseBlt(readFileSync(path.join(GLASGOW, fixture.wards[ward].file), 'utf8')));

  it('agrees with the declared first preferences and counts of election in Greater Pollok', () => {
    const check = fixture.crossChecks.firstPreferencesAndCounts['Greater-Pollock'];
    const result = count('Greater-Pollock');
    for (const [name, votes] of Object.entries(check.firstPreferences)) expect(result.rounds[0].votes[name]).toBe(`${votes}.00000`);
    for (const [name, stage] of Object.entries(check.electedAtStage)) {
      expect(result.rounds[stage - 1].elected, name).toContain(name);
    }
  });

  it.each(Object.entries(fixture.crossChecks.electedConfirmed))('%s elects the published councillors', (ward, { names }) => {
    expect(count(ward).elected.map((e) => e.name).sort()).toEqual([...names].sort());
  });

  it.each(Object.entries(fixture.crossChecks.electedPartly))('%s elects the councillors named in reports', (ward, { names }) => {
    const elected = count(ward).elected.map((e) => e.name);
    for (const name of names) expect(elected).toContain(name);
  });

  it.each(Object.entries(fixture.crossChecks.publishedStageTotals))('%s matches the published whole-vote stage totals', (ward, published) => {
    const result = count(ward);
    const whole = (v: string | number) => Math.floor(Number(v));
    for (const [name, totals] of Object.entries(published.byStage ?? {})) {
      expect(totals.map((_, i) => whole(result.rounds[i].votes[name])), name).toEqual(totals);
    }
    if (published.atStage !== undefined) {
      const round = result.rounds[published.atStage - 1];
      for (const [name, total] of Object.entries(published.totals ?? {})) expect(whole(round.votes[name]), name).toBe(total);
      for (const [name, surplus] of Object.entries(published.surplus ?? {})) {
        expect(whole(Number(round.votes[name]) - (result.quota as number)), name).toBe(surplus);
      }
    }
  });

  it('counts Anderston/City by Meek STV as Droop does', () => {
    // Droop's Meek figures for this file (as quoted by the meekster project's tests).
    const result = countElection(parseBlt(readFileSync(path.join(GLASGOW, 'Anderston-City-2007.blt'), 'utf8')), 'meek-stv');
    const expected: Record<string, number> = {
      'Nina Baker': 1298.307340419,
      'Philip Braat': 1297.105615751,
      'Craig MacKay': 1280.501790024,
      'Gordon Matheson': 1325.225745098,
    };
    expect(result.elected.map((e) => e.name).sort()).toEqual(Object.keys(expected).sort());
    for (const e of result.elected) expect(Math.abs(Number(e.votes) - expected[e.name]), e.name).toBeLessThan(0.00002);
  });
});

describe('Scottish council wards, 2012 (a sample)', () => {
  const files = readdirSync(SCOTLAND_2012)
    .filter((f) => f.endsWith('.blt'))
    .sort()
    .filter((_, i) => i % 10 === 0);

  it.each(files)('%s: Scottish STV is internally consistent', (file) => {
    const election = parseBlt(readFileSync(path.join(SCOTLAND_2012, file), 'utf8'));
    const result = countScottishStv(election);
    expectConsistent(result, file);
    const meek = countElection(election, 'meek-stv');
    expect(meek.elected).toHaveLength(election.seats);
    expect(countElection(election, 'block').elected).toHaveLength(election.seats);
  });
});
