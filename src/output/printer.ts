import type { CliError } from '../errors.js';
import { formatError } from './error-line.js';
import { checkFields, selectFields } from './fields.js';
import type { JsonArrayStream } from './json-stream.js';
import { StatusLine } from './status-line.js';
import type { IO } from './io.js';
import type { Palette } from './color.js';
import type { Column } from './table.js';

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
  /** the clock (epoch milliseconds), for the status line's redraw rate */
  now: () => number;
}

export class Printer {
  readonly json: boolean;
  /** the terminal-only line redrawn in place on stderr (progress, waiting); other stderr output goes above it */
  readonly status: StatusLine;

  constructor(
    private readonly io: IO,
    readonly palette: Palette,
    readonly errPalette: Palette,
    private readonly settings: PrinterSettings,
  ) {
    this.json = settings.json;
    this.status = new StatusLine(io.stderr, io.stderrIsTTY, (text) => errPalette.muted(text), settings.now);
  }

  /** A failure: one line on stderr (`error:` in red on a terminal), the stack only with --debug. */
  error(error: CliError): void {
    this.status.clear();
    this.io.stderr.write(formatError(error, this.settings.redact, this.settings.debug, (label) => this.errPalette.error(label)));
  }

  /** Exactly one JSON document on stdout (only the `--fields` keys, when given). */
  printJson(data: unknown): void {
    const document = this.settings.fields ? selectFields(data, this.settings.fields) : data;
    this.io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  }

  /**
   * A JSON array streamed as pages arrive (`--fields` applied, checked against `knownFields` so an
   * unknown name fails even on an empty page); stdout stays empty if the command fails first.
   */
  async jsonArray(knownFields?: string[]): Promise<JsonArrayStream> {
    const fields = this.settings.fields;
    if (fields && knownFields) checkFields(fields, knownFields);
    // loaded when used, like the table renderer: a failing command prints neither (start-up)
    const { JsonArrayStream } = await import('./json-stream.js');
    return new JsonArrayStream(this.io.stdout, (items) => (fields ? (selectFields(items, fields, knownFields) as unknown[]) : items));
  }

  async printTable<Row>(columns: Column<Row>[], rows: Row[]): Promise<void> {
    const { renderTable } = await import('./table.js');
    this.io.stdout.write(await renderTable(this.io, this.palette, columns, rows));
  }

  /** Plain data line on stdout. */
  line(text: string): void {
    this.io.stdout.write(`${text}\n`);
  }

  note(text: string): void {
    this.status.above(`${text}\n`);
  }

  success(text: string): void {
    this.status.above(`${this.errPalette.success('✓')} ${text}\n`);
  }

  warn(text: string): void {
    this.status.above(`${this.errPalette.warn('warning:')} ${text}\n`);
  }

  /** An empty result: says so on a TTY, stays silent for scripts. */
  empty(text: string): void {
    if (this.io.stderrIsTTY) this.note(this.errPalette.muted(text));
  }
}
