import { selectFields } from './fields.js';
import type { IO } from './io.js';
import type { Palette } from './color.js';
import { renderTable, type Column } from './table.js';

/**
 * The one way commands print. Data goes to stdout (one JSON document with `--json`); notes,
 * warnings and progress go to stderr.
 */
export class Printer {
  constructor(
    private readonly io: IO,
    readonly palette: Palette,
    readonly errPalette: Palette,
    readonly json: boolean,
    private readonly fields?: string[] | undefined,
  ) {}

  /** Exactly one JSON document on stdout (only the `--fields` keys, when given). */
  printJson(data: unknown): void {
    const document = this.fields ? selectFields(data, this.fields) : data;
    this.io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  }

  async printTable<Row>(columns: Column<Row>[], rows: Row[]): Promise<void> {
    this.io.stdout.write(await renderTable(this.io, this.palette, columns, rows));
  }

  /** Plain data line on stdout. */
  line(text: string): void {
    this.io.stdout.write(`${text}\n`);
  }

  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  success(text: string): void {
    this.io.stderr.write(`${this.errPalette.success('✓')} ${text}\n`);
  }

  warn(text: string): void {
    this.io.stderr.write(`${this.errPalette.warn('warning:')} ${text}\n`);
  }

  /** An empty result: says so on a TTY, stays silent for scripts. */
  empty(text: string): void {
    if (this.io.stderrIsTTY) this.note(this.errPalette.muted(text));
  }
}
