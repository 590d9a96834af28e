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
  const table = new Table({
    head: columns.map((column) => palette.bold(column.header)),
    style: { head: [], border: [] },
    wordWrap: true,
  });
  table.push(...cells);
  return `${table.toString()}\n`;
}

function cellText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

function escapeTsv(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}
