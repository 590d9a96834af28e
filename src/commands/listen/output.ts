import type { Context } from '../../context.js';
import type { DeliveryReport } from '../../offline/sinks/listener.js';
import { jsonSafe } from '../../output/sanitize.js';

/**
 * What a listener prints: a line per delivery on stdout (time, event, entity id, → status and
 * milliseconds, the first line of the body on failure; colour on a terminal), or an NDJSON record
 * per delivery with --json; the "listening / reconnecting…" state on the terminal's status line.
 */
export class ListenOutput {
  private delivered = 0;
  private failed = 0;
  private link: string | undefined;
  private retry: string | undefined;

  constructor(
    private readonly ctx: Context,
    private readonly settings: { events: number; showUrl: boolean },
  ) {}

  get counts(): { delivered: number; failed: number } {
    return { delivered: this.delivered, failed: this.failed };
  }

  delivery(report: DeliveryReport): void {
    this.retry = undefined;
    if (report.ok) this.delivered += 1;
    else this.failed += 1;
    if (this.ctx.globals.json) this.ndjson(deliveryRecord(report, this.ctx.now()));
    else this.ctx.printer.line(this.line(report));
    this.refresh();
  }

  /** No target: the JSON line went to stdout; only counted here. */
  recorded(): void {
    this.delivered += 1;
    this.refresh();
  }

  /** A handler that is down is being retried. */
  retrying(url: string, reason: string, delayMs: number, retry: number, retries: number): void {
    const where = new URL(url).host;
    if (retry === 1) this.ctx.printer.note(`The handler at ${where} is down (${reason}): retrying with back-off, up to ${retries} times`);
    this.retry = `${where} is down (${reason}): retry ${retry} of ${retries} in ${(delayMs / 1000).toFixed(1)}s`;
    this.refresh();
  }

  /** The connection's state (undefined: connected). */
  linkState(text: string | undefined): void {
    this.link = text;
    this.refresh();
  }

  refresh(): void {
    const counts = `${this.delivered} delivered · ${this.failed} failed`;
    const state = this.link ?? this.retry ?? `listening for ${this.settings.events === 1 ? '1 event' : `${this.settings.events} events`}`;
    this.ctx.printer.status.set(`${state} · ${counts} · Ctrl-C to stop`);
  }

  ndjson(record: Record<string, unknown>): void {
    this.ctx.io.stdout.write(`${jsonSafe(JSON.stringify(record))}\n`);
  }

  private line(report: DeliveryReport): string {
    const palette = this.ctx.printer.palette;
    const { event, answer } = report;
    const head = [palette.muted(clock(this.ctx.now())), palette.bold(event.EVENT_NAME), entityId(event.EVENT_DATA), '→'];
    if (this.settings.showUrl && report.url) head.push(report.url);
    if (!answer) return [...head, palette.error(report.error ?? 'not delivered')].join('  ');
    const status = report.ok ? palette.success(String(answer.status)) : palette.error(String(answer.status));
    const body = !report.ok && answer.head ? `  ${answer.head}` : '';
    const retried = report.attempts > 1 ? ` (attempt ${report.attempts})` : '';
    return `${[...head, status, `${answer.ms} ms`].join('  ')}${retried}${body}`;
  }
}

/** The --json record of one delivery (the portal's names for the record's fields). */
function deliveryRecord(report: DeliveryReport, now: number): Record<string, unknown> {
  const { event, answer } = report;
  return {
    time: new Date(now).toISOString(),
    event: event.EVENT_NAME,
    entity_id: entityId(event.EVENT_DATA),
    id: event.ID,
    message_id: event.MESSAGE_ID,
    url: report.url,
    ok: report.ok,
    status: answer?.status ?? null,
    ms: answer?.ms ?? null,
    attempts: report.attempts,
    ...(report.ok ? {} : { body: answer?.head ?? null, error: report.error ?? `the handler answered HTTP ${answer?.status}` }),
  };
}

/** The entity an event is about: `FIELDS.ID` (CRM), `FIELDS_AFTER.ID` (tasks), `ID` (users), `id` (calendar). */
export function entityId(data: unknown): string {
  const field = (value: unknown, key: string): unknown => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined);
  const id =
    field(field(data, 'FIELDS'), 'ID') ??
    field(field(data, 'FIELDS_AFTER'), 'ID') ??
    field(field(data, 'FIELDS_BEFORE'), 'ID') ??
    field(data, 'ID') ??
    field(data, 'id');
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '-';
}

/** HH:MM:SS, local time. */
function clock(now: number): string {
  const at = new Date(now);
  return [at.getHours(), at.getMinutes(), at.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
