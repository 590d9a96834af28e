import { handlePage } from './page.js';
import { Planner } from './planner.js';
import { recoverable, waitFor } from './recovery.js';
import type { OfflineQueue, PageRequest, Settlement } from './queue.js';
import type { DrainHooks, DrainResult, DrainStats, Page, QueueSelection, Sink, StopReason } from './types.js';

export interface DrainOptions {
  selection: QueueSelection;
  /** records per `event.offline.get` */
  batchSize: number;
  /** stop after this many events were handed to the sink */
  max?: number | undefined;
  /** keep polling an empty queue (with back-off) and ride out network drops */
  follow: boolean;
  /** read with clear=1: the portal deletes each page as it returns it */
  atMostOnce: boolean;
  /** first finish batches left reserved: one by id, or every one found (`{}`) */
  resume?: { processId?: string | undefined } | undefined;
  /** soft stop (Ctrl-C): finish the events in hand, settle the page, stop */
  signal: AbortSignal;
  /** empty-queue polling back-off with --follow */
  pollMs?: { min: number; max: number };
}

export function createDrainStats(now = Date.now()): DrainStats {
  return { handled: 0, failed: 0, pages: 0, startedAt: now, leftReserved: new Map(), uncertainReservations: 0, lost: 0 };
}

/**
 * Drains the offline queue into a sink, one page at a time: read a page (reserved under a process
 * id), hand each event to the sink, then flag the failures and confirm the successes by id while
 * reading the next page in the same request. Memory holds one page, whatever the queue length.
 * On a soft stop the events in hand finish and the page is settled; events never started stay
 * reserved (reported in `stats.leftReserved`) for `resume`. Shared by `offline drain` and `listen`.
 */
export async function drainQueue(
  queue: OfflineQueue,
  sink: Sink,
  options: DrainOptions,
  hooks: DrainHooks = {},
  stats: DrainStats = createDrainStats(),
): Promise<DrainResult> {
  const batches = options.resume ? await queue.findReserved(options.resume.processId) : [];
  if (options.resume?.processId && batches.length === 0) hooks.notice?.(`no records are reserved under ${options.resume.processId}`);
  if (batches.length > 0) hooks.notice?.(`resuming reserved batch(es) ${batches.map((b) => b.processId).join(', ')}`);
  return new DrainRun(queue, sink, options, hooks, stats, new Planner(batches, options)).run();
}

class DrainRun {
  private current: Settlement = {
    page: { processId: null, errorRows: false, events: [] },
    outcome: { handledIds: [], failedMessageIds: [], unattempted: 0 },
    settled: true,
  };
  /** rows of the current page that stay reserved once it is settled */
  private staying = 0;
  private idlePolls = 0;
  private sinkError: string | undefined;

  constructor(
    private readonly queue: OfflineQueue,
    private readonly sink: Sink,
    private readonly options: DrainOptions,
    private readonly hooks: DrainHooks,
    private readonly stats: DrainStats,
    private readonly planner: Planner,
  ) {}

  async run(): Promise<DrainResult> {
    const stopped = await this.loop();
    // a resumed batch not read to its end keeps its other records (count unknown: 0)
    const batch = this.planner.resuming;
    if (batch && !this.stats.leftReserved.has(batch.processId)) this.stats.leftReserved.set(batch.processId, 0);
    return { stats: this.stats, stopped, sinkError: this.sinkError };
  }

  private async loop(): Promise<StopReason> {
    let stopped: StopReason | undefined;
    for (;;) {
      if (!stopped && this.options.signal.aborted) stopped = 'interrupted';
      const request = stopped ? undefined : this.planner.request(this.stats);
      if (!stopped && !request) stopped = 'max';
      const page = await this.step(request);
      if (stopped) return stopped;
      if (!page) return 'interrupted';
      if (page.events.length === 0) {
        if (this.planner.onEmpty()) continue;
        if (!this.options.follow) return 'empty';
        if (!(await this.idle())) return 'interrupted';
        continue;
      }
      this.idlePolls = 0;
      stopped = await this.handle(page);
    }
  }

  /** Settles the current page and reads the next, riding out transient failures. */
  private async step(request: PageRequest | undefined): Promise<Page | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const page = await this.queue.settleAndFetch(this.current, request);
        this.afterSettle();
        return page;
      } catch (error) {
        this.afterSettle();
        // After Ctrl-C, --follow no longer rides out failures forever: settle within the normal retries.
        const retry = recoverable(error, attempt, this.options.follow && !this.options.signal?.aborted);
        if (retry === undefined) {
          this.abandon();
          throw error;
        }
        if (retry.ambiguous && (request?.kind === 'reserve' || request?.kind === 'take')) this.stats.uncertainReservations += 1;
        this.hooks.notice?.(`${retry.reason}; retrying in ${Math.round(retry.delayMs / 1000)}s`);
        // Ctrl-C may cut the wait short only when nothing is left to settle.
        const waited = await waitFor(retry.delayMs, this.current.settled ? this.options.signal : undefined);
        if (!waited) return undefined;
      }
    }
  }

  private async handle(page: Page): Promise<StopReason | undefined> {
    this.stats.pages += 1;
    this.planner.onPage(page);
    if (this.options.signal.aborted && !this.options.atMostOnce) {
      // read while Ctrl-C arrived: nothing of it was started, so it stays reserved as a whole
      this.keep(page.processId, page.events.length);
      return 'interrupted';
    }
    const result = await handlePage(page.events, this.sink, {
      signal: this.options.signal,
      finishAll: this.options.atMostOnce,
      onVerdict: (event, verdict) => {
        if (verdict.handled) this.stats.handled += 1;
        else {
          this.stats.failed += 1;
          this.hooks.failure?.(event, verdict.reason);
        }
        this.hooks.progress?.(this.stats);
      },
    });
    if (page.processId === null) this.stats.lost += result.unattempted;
    this.current = { page, outcome: result, settled: false };
    this.staying = result.unattempted + (page.errorRows ? result.failedMessageIds.length : 0);
    if (result.sinkStopped) {
      this.sinkError = result.sinkStopped.message;
      return 'sink-stopped';
    }
    return this.options.signal.aborted ? 'interrupted' : undefined;
  }

  /** Waits before polling an empty queue again; false when interrupted meanwhile. */
  private idle(): Promise<boolean> {
    const { min, max } = this.options.pollMs ?? { min: 1000, max: 30_000 };
    const delay = Math.min(max, min * 2 ** this.idlePolls);
    this.idlePolls += 1;
    return waitFor(delay, this.options.signal);
  }

  private afterSettle(): void {
    if (!this.current.settled || this.staying === 0) return;
    this.keep(this.current.page.processId, this.staying);
    this.staying = 0;
  }

  /** A fatal error: the unsettled page stays reserved as a whole. */
  private abandon(): void {
    if (this.current.settled) return;
    this.keep(this.current.page.processId, this.current.page.events.length);
    this.current.settled = true;
  }

  private keep(processId: string | null, count: number): void {
    if (!processId || count === 0) return;
    this.stats.leftReserved.set(processId, (this.stats.leftReserved.get(processId) ?? 0) + count);
  }
}
