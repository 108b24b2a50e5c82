/**
 * Plain aligned columns like kubectl's tables (three spaces between columns, no borders), so they survive
 * copy-paste and `grep`. Colour, when the stream allows it, only marks whole rows.
 */
export type RowStyle = 'plain' | 'highlight' | 'warning';

export interface TableRow {
  cells: string[];
  style?: RowStyle;
}

const ANSI: Record<RowStyle, [string, string]> = {
  plain: ['', ''],
  highlight: ['\u001b[1m', '\u001b[0m'],
  warning: ['\u001b[33m', '\u001b[0m'],
};

export function renderTable(headers: string[], rows: TableRow[], color: boolean): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r.cells[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('   ').trimEnd();
  const body = rows.map((row) => {
    const [start, end] = color ? ANSI[row.style ?? 'plain'] : ['', ''];
    return `${start}${line(row.cells)}${end}`;
  });
  return [line(headers), ...body].map((l) => `${l}\n`).join('');
}
