import type { IO } from './io.js';
import type { Palette } from './color.js';

export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | boolean | null | undefined;
}

/**
 * A table on a TTY (cli-table3, loaded only here), tab-separated rows without a header otherwise,
 * so `cut`, `awk` and `while read` work on piped output.
 */
export async function renderTable<Row>(io: IO, palette: Palette, columns: Column<Row>[], rows: Row[]): Promise<string> {
  const cells = rows.map((row) => columns.map((column) => cellText(column.value(row))));
  if (!io.stdoutIsTTY) {
    return cells.map((line) => `${line.map(escapeTsv).join('\t')}\n`).join('');
  }
  const { default: Table } = await import('cli-table3');
  // cli-table3 colours headers red and borders grey by default; colour comes from our palette instead.
  const widths = fitWidths([columns.map((c) => c.header), ...cells], io.columns);
  const table = new Table({
    head: columns.map((column) => palette.bold(column.header)),
    style: { head: [], border: [] },
    ...(widths ? { colWidths: widths, wordWrap: true, wrapOnWordBoundary: false } : {}),
  });
  table.push(...cells);
  return `${table.toString()}\n`;
}

/**
 * Column widths that fit the terminal: natural widths while they fit, otherwise the widest columns
 * give up space (their cells wrap) until the table is as wide as the screen.
 */
export function fitWidths(rows: string[][], screen: number): number[] | undefined {
  if (screen <= 0) return undefined;
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)) + 2);
  const minimum = (rows[0] ?? []).map((header) => Math.max(8, header.length + 2)); // headers never wrap
  const available = Math.max(screen, 40) - (widths.length + 1); // one border character per column, plus one
  if (widths.reduce((a, b) => a + b, 0) <= available) return undefined; // fits: let cli-table3 size it
  while (widths.reduce((a, b) => a + b, 0) > available) {
    const widest = widths.indexOf(Math.max(...widths));
    if ((widths[widest] ?? 0) <= (minimum[widest] ?? 8)) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  return widths;
}

function cellText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

function escapeTsv(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}
