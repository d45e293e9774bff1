import { describe, expect, it } from 'vitest';
import { blockKitProblems } from '../../test/platforms/slack/block-kit.ts';
import { countTable } from '../../test/support/tables.ts';
import { Packer } from './pack.ts';
import { renderMessage, type SlackBlock } from './render.ts';

const packer = new Packer();
type Cell = { type: string; text: string };
const tablesOf = (messages: { blocks: SlackBlock[] }[]) => messages.flatMap((m) => m.blocks.filter((b) => b.type === 'table')) as unknown as { rows: Cell[][]; column_settings: { align: string }[] }[];

describe('tables on Slack: the table block', () => {
  it('a round table is one native table: the header row first, figures right-aligned, the caption and notes above it', () => {
    const r = renderMessage({ text: 'result', blocks: [{ type: 'header', text: 'Result' }, { type: 'table', table: countTable(4, 3) }] }, packer);
    expect(r.messages).toHaveLength(1);
    for (const m of r.messages) expect(blockKitProblems(m.blocks, 'message')).toEqual([]);
    const [table] = tablesOf(r.messages);
    expect(table.rows[0].map((c) => c.text)).toEqual(['Candidate', 'Stage 1', 'Stage 2', 'Stage 3']);
    expect(table.rows[1].map((c) => c.text)).toEqual(['Candidate 1', '1000.00000', '1013.00000', '1026.00000']);
    expect(table.column_settings.map((c) => c.align)).toEqual(['left', 'right', 'right', 'right']);
    const blocks = r.messages[0].blocks;
    expect(blocks.at(-1)!.type).toBe('table');
    expect(JSON.stringify(blocks.at(-2))).toMatch(/Quota: 1,001.*Tie at stage 2/);
    expect(JSON.stringify(r)).not.toContain('```');
  });

  it('150 candidates and 25 stages: tables of at most 100 rows and 20 columns, one a message, every cell kept', () => {
    const r = renderMessage({ text: 'big', blocks: [{ type: 'table', table: countTable(150, 25) }] }, packer);
    for (const m of r.messages) {
      expect(blockKitProblems(m.blocks, 'message')).toEqual([]);
      expect(m.blocks.filter((b) => b.type === 'table').length).toBeLessThanOrEqual(1);
    }
    const tables = tablesOf(r.messages);
    expect(tables).toHaveLength(4);
    const cells = new Set<string>();
    for (const t of tables) {
      expect(t.rows[0][0].text).toBe('Candidate');
      for (const row of t.rows.slice(1)) row.slice(1).forEach((c, i) => cells.add(`${row[0].text}|${t.rows[0][i + 1].text}|${c.text}`));
    }
    expect(cells.size).toBe(150 * 25);
  });

  it('the stand-in refuses what Slack refuses: two tables in a message, 101 rows, 21 cells, an empty cell', () => {
    const cell = { type: 'raw_text', text: 'x' };
    expect(blockKitProblems([{ type: 'table', rows: [[cell]] }, { type: 'table', rows: [[cell]] }], 'message')).toEqual(['2 table blocks (at most one a message)']);
    expect(blockKitProblems([{ type: 'table', rows: Array.from({ length: 101 }, () => [cell]) }], 'message')[0]).toMatch(/101 rows/);
    expect(blockKitProblems([{ type: 'table', rows: [Array.from({ length: 21 }, () => cell)] }], 'message')[0]).toMatch(/21 cells/);
    expect(blockKitProblems([{ type: 'table', rows: [[{ type: 'raw_text', text: '' }]] }], 'message')[0]).toMatch(/empty text/);
  });

  it('an empty cell is sent as a space, which Slack accepts', () => {
    const r = renderMessage({ text: 't', blocks: [{ type: 'table', table: { columns: [{ label: 'A' }, { label: '' }], rows: [['', 'b']] } }] }, packer);
    for (const m of r.messages) expect(blockKitProblems(m.blocks, 'message')).toEqual([]);
  });
});
