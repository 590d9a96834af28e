import type { IO } from './io.js';
import type { Palette } from './color.js';
import { terminalCell, tsvSafe } from './sanitize.js';

export interface Column<Row> {
  header: string;
  /** the cell; `tty` says whether it is for a person (a table) or a script (TSV) */
  value: (row: Row, tty: boolean) => string | number | boolean | null | undefined;
}

/** Space between columns, as gh prints them. */
const GAP = '  ';

/**
 * Lists on a terminal are gh-style borderless columns; when they would not fit the terminal, each
 * record becomes a block of `HEADER  value` lines instead, so no cell (a handler URL someone copies
 * into `unbind`) is ever broken. Piped, they are tab-separated rows without a header, so `cut`,
 * `awk` and `while read` work.
 */
export async function renderTable<Row>(io: IO, palette: Palette, columns: Column<Row>[], rows: Row[]): Promise<string> {
  const values = rows.map((row) => columns.map((column) => cellText(column.value(row, io.stdoutIsTTY))));
  if (!io.stdoutIsTTY) return values.map((line) => `${line.map(tsvSafe).join('\t')}\n`).join('');
  const cells = values.map((line) => line.map(terminalCell));
  const headers = columns.map((column) => column.header);
  if (naturalWidth([headers, ...cells]) > io.columns) return blocks(palette, headers, cells);
  // cli-table3 lays out the columns (it measures wide and coloured text); its borders and default
  // red/grey styling are switched off, the palette colours the header instead.
  const { default: Table } = await import('cli-table3');
  const table = new Table({
    head: headers.map((header) => palette.bold(header)),
    chars: BORDERLESS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  table.push(...cells);
  return `${table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')}\n`;
}

/** One record per block: `HEADER  value` lines (empty values left out), a blank line between records. */
function blocks(palette: Palette, headers: string[], cells: string[][]): string {
  const width = Math.max(...headers.map((header) => header.length));
  return cells
    .map((record) => record.flatMap((value, i) => (value === '' ? [] : [`${palette.bold((headers[i] ?? '').padEnd(width))}${GAP}${value}`])).join('\n'))
    .join('\n\n')
    .concat('\n');
}

/** The width of the widest line the columns would need (each column as wide as its widest cell). */
function naturalWidth(rows: string[][]): number {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return widths.reduce((sum, width) => sum + width, 0) + GAP.length * Math.max(0, widths.length - 1);
}

const BORDERLESS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: GAP,
};

function cellText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value);
}
