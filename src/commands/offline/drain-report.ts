import type { Context } from '../../context.js';
import type { DrainHooks, DrainResult, DrainStats, OfflineEvent } from '../../offline/types.js';
import { count } from '../../output/plural.js';
import { nothingLine, reservedIfStoppedNow, reservedLines, summaryLine, summaryOf, type DrainSummary } from './drain-summary.js';
import { RecentRate } from './recent-rate.js';

/** Failures named one by one on stderr before they are only counted. */
const FAILURES_SHOWN = 20;

export interface ReportSettings {
  /** the sink writes events to stdout (then a --json summary goes to stderr) */
  sinkIsStdout: boolean;
  atMostOnce: boolean;
  errorRows: boolean;
  eventName?: string | undefined;
  /** the --worker name (see drain-worker.ts) */
  worker?: string | undefined;
  /** the worker's last run left batches that this drain resumes first */
  resumesOwn?: boolean;
}

/**
 * What a drain tells the user: a progress line on a terminal (stderr) with the recent rate and a
 * "waiting for events" state, failures and notices as they happen, what a Ctrl-C is doing (and what a
 * second one left), and a summary at the end (human, or one JSON document with --json).
 */
export class DrainReporter {
  /** unreserved records when the drain started, when known */
  private queueSize: number | undefined;
  private failuresShown = 0;
  private readonly rate: RecentRate;
  private countdown: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: Context,
    private readonly stats: DrainStats,
    private readonly settings: ReportSettings,
  ) {
    this.rate = new RecentRate(() => ctx.now());
  }

  hooks(): DrainHooks {
    return {
      progress: (stats) => this.progress(stats),
      failure: (event, why) => this.failure(event, why),
      notice: (message) => this.notice(message),
      probed: (counts) => this.probed(counts),
      waiting: (ms) => this.waiting(ms),
    };
  }

  /** Says what the first Ctrl-C is finishing, and lets a second one say what it leaves; returns the unsubscribe. */
  watchInterrupts(): () => void {
    const onAbort = () => this.stopping();
    this.ctx.signal.addEventListener('abort', onAbort, { once: true });
    const unregister = this.ctx.onHardStop(() => this.hardStop());
    return () => {
      this.ctx.signal.removeEventListener('abort', onAbort);
      unregister();
    };
  }

  /** A progress line only on a terminal, and not when the events themselves scroll by on it. */
  private get live(): boolean {
    const io = this.ctx.io;
    return io.stderrIsTTY && !(this.settings.sinkIsStdout && io.stdoutIsTTY);
  }

  private progress(stats: DrainStats): void {
    if (!this.live) return;
    this.stopCountdown();
    const left = this.queueSize === undefined ? '' : ` · ~${Math.max(0, this.queueSize - stats.handled - stats.failed)} left`;
    this.ctx.printer.status.set(`${this.counts(stats)} · ${this.rate.perSecond(stats.handled + stats.failed)}/s${left}`);
  }

  /** --follow found nothing: the line says so and counts down to the next poll. */
  private waiting(ms: number): void {
    if (!this.live) return;
    this.stopCountdown();
    const pollAt = this.ctx.now() + ms;
    const draw = () => {
      const seconds = Math.max(0, Math.ceil((pollAt - this.ctx.now()) / 1000));
      this.ctx.printer.status.set(`${this.counts(this.stats)} · waiting for events, next poll in ${seconds}s`);
    };
    draw();
    this.countdown = setInterval(draw, 1000).unref();
  }

  private counts(stats: DrainStats): string {
    return `${stats.handled} handled · ${stats.failed} failed`;
  }

  private failure(event: OfflineEvent, reason: string): void {
    this.failuresShown += 1;
    if (this.failuresShown > FAILURES_SHOWN) return;
    const more = this.failuresShown === FAILURES_SHOWN ? ' (further failures are only counted)' : '';
    this.ctx.printer.warn(this.ctx.redactor.text(`record ${event.ID} ${event.EVENT_NAME} (${event.MESSAGE_ID}) failed: ${reason}${more}`));
  }

  private notice(message: string): void {
    this.ctx.printer.note(this.ctx.redactor.text(message));
  }

  private probed(counts: { unreserved?: number | undefined; reserved?: number | undefined }): void {
    this.queueSize = counts.unreserved;
    if (!counts.reserved) return;
    const reserved = `${count(counts.reserved, 'record')} of this queue ${counts.reserved === 1 ? 'is' : 'are'} reserved`;
    const resume = 'if no other drain is running, `b24-events offline drain --resume` finishes them';
    // the count includes the batches this worker's last run left, which it resumes now
    if (this.settings.resumesOwn)
      this.ctx.printer.note(`${reserved}, among them what ${this.settings.worker ?? 'this worker'}'s last run left (resumed now); of any others, ${resume}`);
    else
      this.ctx.printer.note(
        `${reserved} by an earlier drain (killed, or still running): this drain leaves ${counts.reserved === 1 ? 'it' : 'them'} alone; ${resume}`,
      );
  }

  /** First Ctrl-C: what is being finished, and what a second one would leave. */
  private stopping(): void {
    this.stopCountdown();
    const left = reservedIfStoppedNow(this.stats);
    if (this.stats.inFlight === 0 && left.length === 0) return;
    const finishing = this.stats.inFlight > 0 ? `finishing ${count(this.stats.inFlight, 'event')} in hand, then confirming` : 'confirming';
    const records = left.reduce((sum, entry) => sum + entry.events, 0);
    const where = left.length === 1 ? `under ${left[0]?.process_id}` : `under ${left.length} process ids`;
    const hard = left.length > 0 ? `; Ctrl-C again stops now and leaves ${count(records, 'record')} reserved ${where}` : '; Ctrl-C again stops now';
    this.ctx.printer.note(`Stopping: ${finishing} what was handled${hard}`);
  }

  /** Second Ctrl-C (the process exits right after): what stays reserved and how to finish it. */
  private hardStop(): void {
    this.stopCountdown();
    const left = reservedIfStoppedNow(this.stats);
    const p = this.ctx.printer;
    p.status.clear();
    if (left.length === 0) return p.note('Stopped at once; nothing was left reserved');
    p.warn(
      `stopped at once: ${this.stats.inFlight > 0 ? `${count(this.stats.inFlight, 'event')} in hand did not finish; ` : ''}what was not yet confirmed stays reserved`,
    );
    for (const line of reservedLines(left)) p.note(line);
  }

  private stopCountdown(): void {
    if (this.countdown) clearInterval(this.countdown);
    this.countdown = undefined;
  }

  /** Clears the progress line and prints the summary. */
  finish(result: DrainResult, requests: number): void {
    this.stopCountdown();
    this.ctx.printer.status.clear();
    const summary = summaryOf(result, requests, this.settings, this.ctx.now());
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
    const nothing = stats.handled + stats.failed === 0 && summary.stopped !== 'error';
    const line = nothing ? nothingLine(this.settings, summary.stopped) : summaryLine(stats, summary, this.failedHint());
    if (summary.stopped === 'interrupted' && !nothing) p.note(`Interrupted: the events in hand finished and the handled pages were settled. ${line}`);
    else if (nothing || stats.failed > 0 || summary.left_reserved.length > 0 || summary.stopped === 'error' || summary.stopped === 'interrupted') p.note(line);
    else p.success(line);
    for (const text of reservedLines(summary.left_reserved)) p.note(text);
    if (stats.uncertainReservations > 0 && this.settings.atMostOnce) {
      p.warn(`${count(stats.uncertainReservations, 'read')} lost their reply: the portal may have deleted the records they returned`);
    } else if (stats.uncertainReservations > 0) {
      p.warn(
        `${count(stats.uncertainReservations, 'read')} lost their reply and may have reserved records: check \`b24-events offline list\` for a PROCESS_ID and resume it with \`offline drain --resume\``,
      );
    }
    if (stats.lost > 0)
      p.warn(`${count(stats.lost, 'record')} ${stats.lost === 1 ? 'was' : 'were'} deleted by the portal on read (--at-most-once) but never delivered`);
  }

  private failedHint(): string {
    if (this.settings.atMostOnce) return ' (already deleted by the portal: lost)';
    if (this.settings.errorRows) return ' (still flagged, left reserved: see below)';
    return ' (flagged: `b24-events offline drain --errors` drains them again)';
  }
}
