import { describe, expect, it } from 'vitest';
import { messageProblems } from '../../test/platforms/discord/discord-rules.ts';
import { countTable } from '../../test/support/tables.ts';
import type { PendingRefs } from './refs.ts';
import { LIMITS, renderMessage } from './render.ts';

const render = (table: ReturnType<typeof countTable>) => {
  const pending: PendingRefs = { toStore: new Map() };
  const out = renderMessage({ text: 'result', blocks: [{ type: 'table', table }] }, pending);
  for (const m of out) expect(messageProblems(m as Record<string, unknown>)).toEqual([]);
  return out;
};
const codeBlocks = (out: ReturnType<typeof render>) =>
  out.flatMap((m) => (m.embeds ?? []).flatMap((e) => [...(e.description ?? '').matchAll(/```\n([\s\S]*?)\n```/g)].map((x) => x[1].split('\n'))));

describe('tables on Discord: an aligned monospace block', () => {
  it('columns line up: every figure of a stage ends at the same character', () => {
    const [lines] = codeBlocks(render(countTable(5, 4)));
    expect(lines[0]).toMatch(/^Candidate\s+Stage 1\s+Stage 2/);
    const ends = (needle: RegExp) => lines.slice(2).map((l) => [...l.matchAll(needle)].map((m) => m.index! + m[0].length));
    const positions = ends(/\d+\.\d{5}/g);
    for (const p of positions) expect(p).toEqual(positions[0]);
    expect(lines[0].indexOf('Stage 1') + 'Stage 1'.length).toBe(positions[0][0]);
  });

  it('a table longer than an embed is cut between rows, header repeated, every row kept once', () => {
    const out = render(countTable(300, 6));
    const blocks = codeBlocks(out);
    expect(blocks.length).toBeGreaterThan(1);
    const rows = blocks.flatMap((b) => {
      expect(b[0]).toMatch(/^Candidate/);
      return b.slice(2);
    });
    expect(rows.map((r) => r.split(/\s{2,}/)[0])).toEqual(Array.from({ length: 300 }, (_, i) => `Candidate ${i + 1}`));
    for (const m of out) for (const e of m.embeds ?? []) expect((e.description ?? '').length).toBeLessThanOrEqual(LIMITS.description);
  });

  it('a backtick in a cell cannot close the block early; the caption and notes are outside it', () => {
    const t = countTable(2, 1);
    t.rows[0][0] = 'Ab```c';
    const out = render(t);
    const text = out.flatMap((m) => m.embeds ?? []).map((e) => e.description).join('\n');
    expect(text.match(/```/g)).toHaveLength(2);
    expect(text).toMatch(/^\*\*Quota: 1,001; valid ballots: 4,000\*\*\n```/);
    expect(text).toMatch(/```\n\nTie at stage 2/);
  });
});
