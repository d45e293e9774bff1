import { describe, expect, it } from 'vitest';
import { countTable } from '../../test/support/tables.ts';
import { CARD_BUDGET_BYTES, renderMessage, utf16Bytes, visibleText, type CardElement } from './render.ts';

type Row = { type: string; cells: { type: string; items: CardElement[] }[] };
const tablesOf = (activities: ReturnType<typeof renderMessage>) =>
  activities.flatMap((a) => a.attachments ?? []).flatMap((x) => x.content.body.filter((e) => e.type === 'Table')) as (CardElement & { rows: Row[]; columns: CardElement[] })[];

describe('tables on Teams: an Adaptive Card Table', () => {
  it('a round table is a Table element: the header row marked, figures right-aligned, the caption above', () => {
    const out = renderMessage({ text: 'result', blocks: [{ type: 'table', table: countTable(4, 3) }] });
    const [table] = tablesOf(out);
    expect(table.firstRowAsHeader).toBe(true);
    expect(table.columns.map((c) => c.horizontalCellContentAlignment)).toEqual(['Left', 'Right', 'Right', 'Right']);
    expect(table.rows).toHaveLength(5);
    expect(table.rows.every((r) => r.type === 'TableRow' && r.cells.length === 4 && r.cells.every((c) => c.type === 'TableCell'))).toBe(true);
    const text = out.map((a) => visibleText(a)).join('\n');
    expect(text).toMatch(/^Quota: 1,001/);
    expect(text).toContain('Candidate 1 | 1000.00000 | 1013.00000 | 1026.00000');
    expect(text).toMatch(/Tie at stage 2/);
  });

  it('a table too big for one card is split between rows over several cards, header repeated, every row kept once', () => {
    const out = renderMessage({ text: 'big', blocks: [{ type: 'table', table: countTable(400, 12) }] });
    for (const a of out) expect(utf16Bytes(a)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    const tables = tablesOf(out);
    expect(tables.length).toBeGreaterThan(1);
    const names = tables.flatMap((t) => {
      expect(String(t.rows[0].cells[0].items[0].text)).toBe('Candidate');
      return t.rows.slice(1).map((r) => String(r.cells[0].items[0].text));
    });
    expect(names).toEqual(Array.from({ length: 400 }, (_, i) => `Candidate ${i + 1}`));
  });
});
