import type { CliError } from '../errors.js';
import { formatError } from './error-line.js';
import { selectFields } from './fields.js';
import type { IO } from './io.js';
import type { Palette } from './color.js';
import { renderTable, type Column } from './table.js';

/**
 * The one way commands print. Data goes to stdout (one JSON document with `--json`); notes,
 * warnings and progress go to stderr.
 */
export interface PrinterSettings {
  json: boolean;
  /** `--fields`: the keys JSON output keeps */
  fields?: string[] | undefined;
  /** removes secrets from everything printed on stderr about a failure */
  redact: (text: string) => string;
  /** --debug: failures add a (redacted) stack */
  debug: boolean;
}

export class Printer {
  readonly json: boolean;

  constructor(
    private readonly io: IO,
    readonly palette: Palette,
    readonly errPalette: Palette,
    private readonly settings: PrinterSettings,
  ) {
    this.json = settings.json;
  }

  /** A failure: one line on stderr (`error:` in red on a terminal), the stack only with --debug. */
  error(error: CliError): void {
    this.io.stderr.write(formatError(error, this.settings.redact, this.settings.debug, (label) => this.errPalette.error(label)));
  }

  /** Exactly one JSON document on stdout (only the `--fields` keys, when given). */
  printJson(data: unknown): void {
    const document = this.settings.fields ? selectFields(data, this.settings.fields) : data;
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
