import type { Context } from '../../context.js';
import type { DrainResult, DrainStats, OfflineEvent } from '../../offline/types.js';

/** Failures named one by one on stderr before they are only counted. */
const FAILURES_SHOWN = 20;

export interface ReportSettings {
  /** the sink writes events to stdout (then a --json summary goes to stderr) */
  sinkIsStdout: boolean;
  atMostOnce: boolean;
  errorRows: boolean;
}

/**
 * What a drain tells the user: a progress line on a terminal (stderr), failures and notices as they
 * happen, and a summary at the end (human, or one JSON document with --json).
 */
export class DrainReporter {
  /** unreserved records when the drain started, when known */
  queueSize: number | undefined;
  private failuresShown = 0;

  constructor(
    private readonly ctx: Context,
    private readonly settings: ReportSettings,
  ) {}

  /** A progress line only on a terminal, and not when the events themselves scroll by on it. */
  private get live(): boolean {
    const io = this.ctx.io;
    return io.stderrIsTTY && !(this.settings.sinkIsStdout && io.stdoutIsTTY);
  }

  progress(stats: DrainStats): void {
    if (!this.live) return;
    const left = this.queueSize === undefined ? '' : ` · ~${Math.max(0, this.queueSize - stats.handled - stats.failed)} left`;
    this.ctx.printer.status.set(`${stats.handled} handled · ${stats.failed} failed · ${rate(stats, this.ctx.now())}/s${left}`);
  }

  failure(event: OfflineEvent, reason: string): void {
    this.failuresShown += 1;
    if (this.failuresShown > FAILURES_SHOWN) return;
    const more = this.failuresShown === FAILURES_SHOWN ? ' (further failures are only counted)' : '';
    this.ctx.printer.warn(this.ctx.redactor.text(`record ${event.ID} ${event.EVENT_NAME} (${event.MESSAGE_ID}) failed: ${reason}${more}`));
  }

  notice(message: string): void {
    this.ctx.printer.note(this.ctx.redactor.text(message));
  }

  /** Clears the progress line and prints the summary. */
  finish(result: DrainResult, requests: number): void {
    this.ctx.printer.status.clear();
    const summary = summaryOf(result, requests, this.settings.atMostOnce, this.ctx.now());
    if (this.ctx.globals.json) {
      if (this.settings.sinkIsStdout) this.ctx.io.stderr.write(`${JSON.stringify(summary)}\n`);
      else this.ctx.printer.printJson(summary);
      return;
    }
    if (result.sinkError) this.ctx.printer.warn(`stopped: ${this.ctx.redactor.text(result.sinkError)}`);
    this.humanSummary(result.stats, summary);
  }

  private humanSummary(stats: DrainStats, summary: DrainSummary): void {
    const p = this.ctx.printer;
    const failed = stats.failed === 0 ? '' : `, ${stats.failed} failed${this.failedHint()}`;
    const line = `Handled ${stats.handled} event(s)${failed} — ${summary.requests} request(s), ${summary.seconds}s, ${summary.events_per_second} events/s`;
    if (summary.stopped === 'interrupted') p.note(`Interrupted: the events in hand finished and the page was settled. ${line}`);
    else if (stats.failed > 0 || summary.left_reserved.length > 0 || summary.stopped === 'error') p.note(line);
    else p.success(line);
    for (const { process_id: id, events } of summary.left_reserved) {
      const count = events > 0 ? `${events} record(s)` : 'records';
      p.note(`${count} left reserved under ${id}: finish with \`b24-events offline drain --resume ${id}\``);
    }
    if (stats.uncertainReservations > 0 && this.settings.atMostOnce) {
      p.warn(`${stats.uncertainReservations} read(s) lost their reply: the portal may have deleted the records they returned`);
    } else if (stats.uncertainReservations > 0) {
      p.warn(
        `${stats.uncertainReservations} read(s) lost their reply and may have reserved records: check \`b24-events offline list\` for a PROCESS_ID and resume it with \`offline drain --resume\``,
      );
    }
    if (stats.lost > 0) p.warn(`${stats.lost} record(s) were deleted by the portal on read (--at-most-once) but never delivered`);
  }

  private failedHint(): string {
    if (this.settings.atMostOnce) return ' (already deleted by the portal: lost)';
    if (this.settings.errorRows) return ' (still flagged, left reserved: see below)';
    return ' (flagged: `b24-events offline drain --errors` drains them again)';
  }
}

export interface DrainSummary {
  handled: number;
  failed: number;
  left_reserved: { process_id: string; events: number }[];
  uncertain_reservations: number;
  lost: number;
  pages: number;
  requests: number;
  seconds: number;
  events_per_second: number;
  stopped: DrainResult['stopped'];
  stop_reason?: string;
  delivery: 'at-least-once' | 'at-most-once';
}

export function summaryOf(result: DrainResult, requests: number, atMostOnce: boolean, now: number): DrainSummary {
  const { stats } = result;
  return {
    handled: stats.handled,
    failed: stats.failed,
    left_reserved: [...stats.leftReserved].map(([processId, events]) => ({ process_id: processId, events })),
    uncertain_reservations: stats.uncertainReservations,
    lost: stats.lost,
    pages: stats.pages,
    requests,
    seconds: Math.round((now - stats.startedAt) / 100) / 10,
    events_per_second: rate(stats, now),
    stopped: result.stopped,
    ...(result.sinkError ? { stop_reason: result.sinkError } : {}),
    delivery: atMostOnce ? 'at-most-once' : 'at-least-once',
  };
}

function rate(stats: DrainStats, now: number): number {
  const seconds = (now - stats.startedAt) / 1000;
  return seconds > 0 ? Math.round((stats.handled + stats.failed) / seconds) : 0;
}
