import type { CliError } from '../errors.js';
import { formatError } from './error-line.js';
import { checkFields, selectFields } from './fields.js';
import { asciiSigns } from './glyphs.js';
import type { JsonArrayStream } from './json-stream.js';
import { StatusLine } from './status-line.js';
import type { IO } from './io.js';
import type { Palette } from './color.js';
import { jsonSafe, terminalSafe } from './sanitize.js';
import type { Column } from './table.js';

/**
 * The one way commands print. Data goes to stdout (one JSON document with `--json`); notes,
 * warnings and progress go to stderr. Text may carry portal-supplied strings, so every path
 * escapes control characters and bidi overrides (see sanitize.ts); colours stay.
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
  /** the locale cannot show ✓ → — …: print ASCII stand-ins */
  ascii: boolean;
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
    this.status = new StatusLine(io.stderr, io.stderrIsTTY, (text) => errPalette.muted(this.signs(text)), settings.now);
  }

  /** Text in the locale's signs (ASCII stand-ins when it is not UTF-8). */
  private signs(text: string): string {
    return this.settings.ascii ? asciiSigns(text) : text;
  }

  /** A failure: one line on stderr (`error:` in red on a terminal), the stack only with --debug. */
  error(error: CliError): void {
    this.status.clear();
    this.io.stderr.write(this.signs(formatError(error, this.settings.redact, this.settings.debug, (label) => this.errPalette.error(label))));
  }

  /** Exactly one JSON document on stdout (only the `--fields` keys, when given). */
  printJson(data: unknown): void {
    const document = this.settings.fields ? selectFields(data, this.settings.fields) : data;
    this.io.stdout.write(`${jsonSafe(JSON.stringify(document, null, 2))}\n`);
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

  /** Plain data line on stdout (above the status line when both share a terminal). */
  line(text: string): void {
    const line = `${this.signs(terminalSafe(text))}\n`;
    if (this.io.stdoutIsTTY) this.status.above(line, this.io.stdout);
    else this.io.stdout.write(line);
  }

  note(text: string): void {
    this.status.above(`${this.signs(terminalSafe(text))}\n`);
  }

  success(text: string): void {
    this.status.above(`${this.errPalette.success(this.signs('✓'))} ${this.signs(terminalSafe(text))}\n`);
  }

  warn(text: string): void {
    this.status.above(`${this.errPalette.warn('warning:')} ${this.signs(terminalSafe(text))}\n`);
  }

  /** An empty result: says so on a TTY, stays silent for scripts. */
  empty(text: string): void {
    if (this.io.stderrIsTTY) this.note(this.errPalette.muted(text));
  }
}
