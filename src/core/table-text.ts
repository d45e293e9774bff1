import type { Table } from './messages.ts';

/**
 * A table as aligned plain text: each column padded to its widest cell, figures to the right. For
 * platforms whose native table is a monospace block (Discord), notifications and text fallbacks.
 */
export function tableLines(table: Table): string[] {
  const width = (s: string) => [...s].length;
  const cols = table.columns.map((c, i) => Math.max(width(c.label), ...table.rows.map((r) => width(r[i] ?? ''))));
  const pad = (s: string, i: number) => {
    const gap = cols[i] - width(s);
    const align = table.columns[i].align ?? 'left';
    if (align === 'right') return ' '.repeat(gap) + s;
    if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + s + ' '.repeat(Math.ceil(gap / 2));
    return s + ' '.repeat(gap);
  };
  const line = (cells: string[]) => table.columns.map((_, i) => pad(cells[i] ?? '', i)).join('  ').trimEnd();
  return [line(table.columns.map((c) => c.label)), cols.map((w) => '-'.repeat(w)).join('  '), ...table.rows.map(line)];
}

/** The whole table as text: caption, aligned lines, then the notes. */
export function tableText(table: Table): string {
  return [...(table.caption ? [table.caption] : []), ...tableLines(table), ...(table.notes ?? [])].join('\n');
}

/**
 * Splits a table into tables of at most `maxRows` rows and `maxColumns` columns, the first column
 * (the row's name) and the header repeated in each, so a platform's size limits cut nothing.
 */
export function splitTable(table: Table, maxRows: number, maxColumns: number): Table[] {
  const out: Table[] = [];
  const rest = table.columns.length - 1;
  const per = Math.max(1, maxColumns - 1);
  const groups: number[][] = [];
  if (table.columns.length <= maxColumns) groups.push(table.columns.map((_, i) => i));
  else for (let i = 1; i <= rest; i += per) groups.push([0, ...Array.from({ length: Math.min(per, rest - i + 1) }, (_, k) => i + k)]);
  for (const g of groups) {
    const columns = g.map((i) => table.columns[i]);
    const rows = table.rows.map((r) => g.map((i) => r[i] ?? ''));
    for (let r = 0; r < Math.max(rows.length, 1); r += maxRows) out.push({ caption: table.caption, columns, rows: rows.slice(r, r + maxRows) });
  }
  if (table.notes?.length) out[out.length - 1].notes = table.notes;
  return out;
}
