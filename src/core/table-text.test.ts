import { describe, expect, it } from 'vitest';
import { splitTable, tableLines, tableText } from './table-text.ts';
import { countTable } from '../../test/support/tables.ts';

describe('tables as text', () => {
  it('pads every column to its widest cell; figures end in the same column, names start in the same column', () => {
    const lines = tableLines({
      columns: [{ label: 'Candidate' }, { label: 'Stage 1', align: 'right' }, { label: 'Mid', align: 'center' }],
      rows: [
        ['Ffion Hughes', '12.5', 'a'],
        ['Ŵyn', '1003.00001', 'bbb'],
      ],
    });
    expect(lines).toEqual(['Candidate        Stage 1  Mid', '------------  ----------  ---', 'Ffion Hughes        12.5   a', 'Ŵyn           1003.00001  bbb']);
  });

  it('caption above, notes below', () => {
    const text = tableText(countTable(2, 2));
    expect(text.split('\n')[0]).toBe('Quota: 1,001; valid ballots: 4,000');
    expect(text.split('\n').at(-1)).toMatch(/^Tie at stage 2/);
  });

  it('splits by rows and by columns, repeating the header and the first column, losing no cell', () => {
    const t = countTable(150, 25);
    const parts = splitTable(t, 99, 20);
    expect(parts).toHaveLength(4); // 2 column groups (19 + 6 stages) × 2 row groups (99 + 51)
    for (const p of parts) {
      expect(p.columns[0].label).toBe('Candidate');
      expect(p.columns.length).toBeLessThanOrEqual(20);
      expect(p.rows.length).toBeLessThanOrEqual(99);
    }
    const cells = new Set(parts.flatMap((p) => p.rows.flatMap((r) => r.slice(1).map((c, i) => `${r[0]}|${p.columns[i + 1].label}|${c}`))));
    expect(cells.size).toBe(150 * 25);
    expect(parts.filter((p) => p.notes?.length)).toHaveLength(1);
  });
});
