import { Ledger } from './ledger.js';
import { handlePage } from './page.js';
import { Planner } from './planner.js';
import { idleDelayMs, reclaimNotice, StaleBatches, type ReclaimOptions } from './reclaim.js';
import { heavy, recoverable, waitFor } from './recovery.js';
import { IDS_PER_COMMAND, type OfflineQueue, type PageRequest, type Probes, type ReservedBatch } from './queue.js';
import { DEFAULT_LIMITS, RequestSizer, type SizerLimits } from './sizer.js';
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
  /** process ids an earlier run of this worker reserved and did not settle: resumed before anything else */
  own?: string[] | undefined;
  /** soft stop (Ctrl-C): finish the events in hand, settle the pages, stop */
  signal: AbortSignal;
  /** empty-queue polling back-off with --follow */
  pollMs?: { min: number; max: number };
  /** what may be in hand at once (records, bytes) and the portal work per request to aim for */
  limits?: Partial<Omit<SizerLimits, 'pageSize'>>;
  /** with `follow`: take over batches nobody settled for this long (see StaleBatches) */
  reclaim?: ReclaimOptions | undefined;
  /** counts to ask for with the first request: unreserved records (progress), reserved ones (a hint) */
  probes?: { unreserved?: boolean; reserved?: boolean };
}

export function createDrainStats(now = Date.now()): DrainStats {
  return { handled: 0, failed: 0, pages: 0, startedAt: now, leftReserved: new Map(), uncertainReservations: 0, lost: 0, inFlight: 0, holding: new Map() };
}

/**
 * Drains the offline queue into a sink: read pages (each reserved under its own process id), hand
 * each event to the sink, then flag the failures and confirm the successes by id while reading the
 * next pages in the same request. Several pages travel per request (see RequestSizer), so memory
 * holds a bounded number of pages, whatever the queue length. On a soft stop the events in hand
 * finish and the handled pages are settled; events never started stay reserved (reported in
 * `stats.leftReserved`) for `resume`. Shared by `offline drain` and `listen`.
 */
export async function drainQueue(
  queue: OfflineQueue,
  sink: Sink,
  options: DrainOptions,
  hooks: DrainHooks = {},
  stats: DrainStats = createDrainStats(),
): Promise<DrainResult> {
  const batches = await reservedToResume(queue, options);
  if (options.resume?.processId && !batches.some((b) => b.processId === options.resume?.processId)) {
    hooks.notice?.(`no records are reserved under ${options.resume.processId}`);
  }
  if (batches.length > 0) hooks.notice?.(`resuming reserved batch(es) ${batches.map((b) => b.processId).join(', ')}`);
  const sizer = new RequestSizer({ ...DEFAULT_LIMITS, ...options.limits, pageSize: options.batchSize }, IDS_PER_COMMAND);
  return new DrainRun(queue, sink, options, hooks, stats, new Planner(batches, options), sizer).run();
}

/** The worker's own batches still reserved (one look each), then what `resume` asks for. */
async function reservedToResume(queue: OfflineQueue, options: DrainOptions): Promise<ReservedBatch[]> {
  const batches: ReservedBatch[] = [];
  for (const processId of options.own ?? []) batches.push(...(await queue.findReserved(processId)));
  const asked = options.resume ? await queue.findReserved(options.resume.processId) : [];
  return [...batches, ...asked.filter((batch) => !batches.some((own) => own.processId === batch.processId))];
}

class DrainRun {
  private readonly ledger: Ledger;
  private idlePolls = 0;
  private sinkError: string | undefined;
  private probes: Probes | undefined;
  private readonly stale: StaleBatches | undefined;

  constructor(
    private readonly queue: OfflineQueue,
    private readonly sink: Sink,
    private readonly options: DrainOptions,
    private readonly hooks: DrainHooks,
    private readonly stats: DrainStats,
    private readonly planner: Planner,
    private readonly sizer: RequestSizer,
  ) {
    const probes = options.probes ?? {};
    this.probes = { unreserved: probes.unreserved ? options.selection : undefined, reserved: probes.reserved };
    this.ledger = new Ledger(stats);
    if (options.follow && options.reclaim) this.stale = new StaleBatches(queue, options.reclaim, options.selection.errors);
  }

  async run(): Promise<DrainResult> {
    let stopped: StopReason;
    try {
      stopped = await this.loop();
    } finally {
      this.noteHeld();
    }
    // a resumed batch not read to its end keeps its other records (count unknown: 0)
    const batch = this.planner.resuming;
    if (batch && !this.stats.leftReserved.has(batch.processId)) this.stats.leftReserved.set(batch.processId, 0);
    return { stats: this.stats, stopped, sinkError: this.sinkError };
  }

  /** Tells the caller the process ids this drain answers for: read or left reserved, or still to resume. */
  private noteHeld(): void {
    const { holding, leftReserved } = this.stats;
    this.hooks.holding?.([...new Set([...holding.keys(), ...leftReserved.keys(), ...this.planner.processIds()])]);
  }

  private async loop(): Promise<StopReason> {
    let stopped: StopReason | undefined;
    for (;;) {
      if (!stopped && this.options.signal.aborted) stopped = 'interrupted';
      if (!stopped) await this.reclaim();
      const reads = stopped ? [] : this.planner.requests(this.stats, this.sizer.reads(this.ledger.pendingCommands), this.sizer.pageLimit);
      if (!stopped && reads.length === 0) stopped = 'max';
      const pages = await this.step(reads);
      this.noteHeld();
      if (stopped) return stopped;
      if (!pages) return 'interrupted';
      const { more, ended } = this.notePages(pages, reads);
      if (!pages.some((page) => page.events.length > 0)) {
        if (more) continue;
        if (!this.options.follow) return 'empty';
        if (!(await this.idle())) return 'interrupted';
        continue;
      }
      this.idlePolls = 0;
      const started = Date.now();
      stopped = await this.handleAll(pages);
      this.noteHeld();
      this.hooks.handled?.();
      this.sizer.onHandled(Date.now() - started);
      // a short read found the queue empty at that moment: settle, and without --follow stop there
      if (!stopped && ended && !more && !this.options.follow && !this.planner.resuming) stopped = 'empty';
    }
  }

  /** --follow: queues the batches nobody settled for a re-read; a failed look waits for the next one. */
  private async reclaim(): Promise<void> {
    if (!this.stale) return;
    const { holding, leftReserved } = this.stats;
    try {
      const stale = await this.stale.due((id) => holding.has(id) || leftReserved.has(id) || this.planner.has(id));
      for (const batch of stale) this.hooks.notice?.(reclaimNotice(batch));
      this.planner.add(stale);
    } catch (error) {
      const retry = recoverable(error, 1, true);
      if (!retry) throw error;
      this.hooks.notice?.(`${retry.reason}; looking for batches nobody settled again later`);
    }
  }

  /** Which reads ended a resumed batch (read on) or found the queue empty (fewer records than asked for). */
  private notePages(pages: Page[], reads: PageRequest[]): { more: boolean; ended: boolean } {
    let more = false;
    let ended = false;
    pages.forEach((page, i) => {
      const read = reads[i] as PageRequest;
      if (this.planner.onPage(page, read)) more = true;
      else if (page.events.length === 0 && this.planner.onEmpty()) more = true;
      if (read.kind !== 'reread' && page.events.length < read.limit) ended = true;
      this.sizer.observe(page.events);
    });
    return { more, ended };
  }

  /** Settles the pages in hand and reads the next ones, riding out transient failures. */
  private async step(wanted: PageRequest[]): Promise<Page[] | undefined> {
    let reads = wanted;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const reply = await this.queue.exchange(this.ledger.inHand, reads, this.probes);
        this.ledger.afterSettle();
        if (this.probes && reads.length > 0) this.hooks.probed?.(reply.counts);
        this.probes = undefined;
        if (reply.readError !== undefined) {
          // the reads before it reserved their pages: handle those, and try the rest next time
          if (reply.pages.length === 0) throw reply.readError;
          if (heavy(reply.readError)) this.sizer.onTrouble();
        } else if (reply.retried?.some(heavy)) {
          this.sizer.onTrouble(); // got through only after the client waited out a work limit or a fault
        } else
          this.sizer.onReply(
            reply.workMs,
            reply.pages.every((page, i) => page.events.length >= (reads[i]?.limit ?? 0)),
          );
        this.ledger.read(reply.pages);
        return reply.pages;
      } catch (error) {
        this.ledger.afterSettle();
        if (heavy(error)) this.sizer.onTrouble();
        // After Ctrl-C, --follow no longer rides out failures forever: settle within the normal retries.
        const retry = recoverable(error, attempt, this.options.follow && !this.options.signal.aborted);
        if (retry === undefined) {
          this.ledger.abandon();
          throw error;
        }
        if (retry.ambiguous) this.stats.uncertainReservations += reads.filter((read) => read.kind !== 'reread').length;
        this.hooks.notice?.(`${retry.reason}; retrying in ${Math.round(retry.delayMs / 1000)}s`);
        // Ctrl-C may cut the wait short only when nothing is left to settle.
        const waited = await waitFor(retry.delayMs, this.ledger.inHand.length === 0 ? this.options.signal : undefined);
        if (!waited) return undefined;
        reads = reads.slice(0, this.sizer.current);
      }
    }
  }

  /** Hands the pages of one request to the sink in order; pages after a stop stay reserved whole. */
  private async handleAll(pages: Page[]): Promise<StopReason | undefined> {
    let stopped: StopReason | undefined;
    for (const page of pages) {
      if (page.events.length === 0) continue;
      if (stopped) this.ledger.untouched(page);
      else stopped = await this.handle(page);
    }
    return stopped;
  }

  private async handle(page: Page): Promise<StopReason | undefined> {
    this.stats.pages += 1;
    if (this.options.signal.aborted && !this.options.atMostOnce) {
      // read while Ctrl-C arrived: nothing of it was started, so it stays reserved as a whole
      this.ledger.untouched(page);
      return 'interrupted';
    }
    const stats = this.stats;
    const result = await handlePage(page.events, this.sink, {
      signal: this.options.signal,
      finishAll: this.options.atMostOnce,
      onStart: () => {
        stats.inFlight += 1;
      },
      onEnd: () => {
        stats.inFlight -= 1;
      },
      onVerdict: (event, verdict) => {
        if (verdict.handled) stats.handled += 1;
        else {
          stats.failed += 1;
          this.hooks.failure?.(event, verdict.reason);
        }
        this.hooks.progress?.(stats);
      },
    });
    // released failures were counted as failed as they happened; they stay reserved instead
    stats.failed -= result.released;
    if (page.processId === null) stats.lost += result.unattempted;
    const staying = result.unattempted + (page.errorRows ? result.failedMessageIds.length : 0);
    this.ledger.handled(page, this.queue.settlement(page, result, staying));
    if (result.sinkStopped) {
      this.sinkError = result.sinkStopped.message;
      return 'sink-stopped';
    }
    return this.options.signal.aborted ? 'interrupted' : undefined;
  }

  /** Waits before polling an empty queue again; false when interrupted meanwhile. */
  private idle(): Promise<boolean> {
    const { min, max } = this.options.pollMs ?? { min: 1000, max: 30_000 };
    const delay = idleDelayMs(Math.min(max, min * 2 ** this.idlePolls), min, this.stale);
    this.idlePolls += 1;
    this.hooks.waiting?.(delay);
    return waitFor(delay, this.options.signal);
  }
}
