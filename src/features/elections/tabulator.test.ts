/**
 * The Universal Tabulator summary of every Glasgow 2007 ward carries the count's stage totals: the
 * quota, one result per stage with the same tallies as the counter, the councillors elected at the
 * recorded stages, and transfers that take each stage's tally to the next.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBlt } from './counting/blt.ts';
import { countScottishStv } from './counting/scottish-stv.ts';
import { tabulatorSummary } from './tabulator.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixture = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/glasgow-2007-results.json'), 'utf8')) as {
  wards: Record<string, { file: string; quota: number; stages: number; validBallots: number; elected: { name: string; votes: string; stage: number }[] }>;
};
const units = (v: string) => Math.round(Number(v) * 1e5);

describe('Universal Tabulator JSON of the Glasgow 2007 wards', () => {
  const wards = Object.entries(fixture.wards);
  it('covers all 21 wards', () => expect(wards).toHaveLength(21));

  for (const [ward, expected] of wards) {
    it(ward, () => {
      const election = parseBlt(readFileSync(path.join(ROOT, 'test/data/stv/glasgow-2007', expected.file), 'utf8'));
      const count = countScottishStv(election);
      const summary = JSON.parse(JSON.stringify(tabulatorSummary(count, { title: ward, date: '2007-05-03', jurisdiction: 'Glasgow City Council', office: 'Councillor' })));
      expect(Number(summary.config.threshold)).toBe(expected.quota);
      expect(summary.results).toHaveLength(expected.stages);
      summary.results.forEach((r: { round: number; tally: Record<string, string> }, i: number) => {
        expect(r.round).toBe(i + 1);
        expect(r.tally).toEqual(Object.fromEntries(Object.entries(count.rounds[i].votes).map(([n, v]) => [n, String(v)])));
      });
      const first = Object.values(summary.results[0].tally as Record<string, string>).reduce((n, v) => n + units(v), 0);
      expect(first).toBe(expected.validBallots * 1e5);
      // who was elected at which stage, and with what vote, as recorded
      const elected = summary.results.flatMap((r: { round: number; tally: Record<string, string>; tallyResults: { elected?: string }[] }) =>
        r.tallyResults.filter((x) => x.elected && count.rounds[r.round - 1].elected.includes(x.elected)).map((x) => ({ name: x.elected, votes: r.tally[x.elected!], stage: r.round })),
      );
      expect(elected).toEqual(expected.elected);
      // each stage's transfers take its tally to the next stage's
      for (let i = 0; i + 1 < summary.results.length; i++) {
        const { tally, tallyResults } = summary.results[i];
        const next = summary.results[i + 1].tally;
        const moved: Record<string, number> = {};
        for (const tr of tallyResults) for (const [n, v] of Object.entries(tr.transfers as Record<string, string>)) moved[n] = (moved[n] ?? 0) + units(v);
        const source = tallyResults.find((tr: { transfers: object }) => Object.keys(tr.transfers).length)?.eliminated ?? tallyResults.find((tr: { transfers: object }) => Object.keys(tr.transfers).length)?.elected;
        for (const n of Object.keys(next)) if (n !== source) expect(units(tally[n]) + (moved[n] ?? 0), `${ward} stage ${i + 1} → ${i + 2}, ${n}`).toBe(units(next[n]));
      }
    });
  }
});
