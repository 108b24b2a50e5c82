import { redactTokenShapes } from '../secrets/redact';
import { displayWidth, padEnd } from '../text/width';

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

/** Columns are as wide as their widest cell on a terminal (East Asian wide characters take two columns). */
export function renderTable(headers: string[], tableRows: TableRow[], color: boolean, options: { headers?: boolean } = {}): string {
  // Redacted before the widths are taken, so that the columns stay aligned (the streams would redact it anyway).
  const rows = tableRows.map((r) => ({ ...r, cells: r.cells.map(redactTokenShapes) }));
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r.cells[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : padEnd(c, widths[i])))
      .join('   ')
      .trimEnd();
  const body = rows.map((row) => {
    const [start, end] = color ? ANSI[row.style ?? 'plain'] : ['', ''];
    return `${start}${line(row.cells)}${end}`;
  });
  return [...(options.headers === false ? [] : [line(headers)]), ...body].map((l) => `${l}\n`).join('');
}
