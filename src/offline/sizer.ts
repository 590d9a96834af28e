import { BATCH_LIMIT } from '../api/batch.js';
import type { OfflineEvent } from './types.js';

export interface SizerLimits {
  /** records per page */
  pageSize: number;
  /** records held at once (pages read and not yet confirmed) */
  maxEvents: number;
  /** estimated JSON bytes held at once */
  maxBytes: number;
  /** portal work per request to stay under; a slower reply halves the pages per request */
  targetMs: number;
}

export const DEFAULT_LIMITS: Omit<SizerLimits, 'pageSize'> = { maxEvents: 14_000, maxBytes: 8 * 1024 * 1024, targetMs: 5_000 };

/**
 * More pages per request pay off only while the sink is faster than the requests: a round of pages
 * handled within half a rate-limit slot (2 requests/s) means requests are the bottleneck. A slower
 * sink (a shell per event) keeps one page per request, so a crash leaves little reserved.
 */
const FAST_HANDLING_MS = 250;

/** Ids per clear/error command (see `IDS_PER_COMMAND` in queue.ts): what settling one full page costs in commands. */
export function commandsPerPage(pageSize: number, idsPerCommand: number): number {
  return Math.max(1, Math.ceil(pageSize / idsPerCommand));
}

/**
 * How many pages one request reads (k). It starts at one page, so a run that stops early has reserved
 * little, and grows fourfold while replies come back full and fast; a slow reply, a timeout, a server
 * fault or OPERATION_TIME_LIMIT halves it (a real portal's per-request work limit is not published:
 * adapt, do not assume). k is capped by the 50 commands of a batch (the next k reads plus settling the
 * last k pages), by the records in hand and by their estimated bytes.
 */
export class RequestSizer {
  private pages = 1;
  private bytesPerEvent = 0;
  /** growth earned by the last reply, applied once its pages were handled fast enough */
  private growth = 1;

  constructor(
    private readonly limits: SizerLimits,
    private readonly idsPerCommand: number,
  ) {}

  /** Pages per request right now (before the command budget of a particular request). */
  get current(): number {
    return this.pages;
  }

  /** Records per read: the page size, smaller when records are so big that one page would exceed the byte budget. */
  get pageLimit(): number {
    const { pageSize, maxBytes } = this.limits;
    return this.bytesPerEvent > 0 ? Math.max(1, Math.min(pageSize, Math.floor(maxBytes / this.bytesPerEvent))) : pageSize;
  }

  /** Reads to put into a request that already carries `commands` other commands (at least one). */
  reads(commands: number): number {
    return Math.max(1, Math.min(this.pages, this.ceiling(), BATCH_LIMIT - commands));
  }

  /** A request came back: full pages that came back fast earn growth, a long portal work halves k. */
  onReply(workMs: number | undefined, allFull: boolean): void {
    const target = this.limits.targetMs;
    this.growth = 1;
    if (workMs !== undefined && workMs > target) this.pages = Math.max(1, Math.floor(this.pages / 2));
    else if (allFull && (workMs === undefined || workMs < target / 4)) this.growth = 4;
    else if (allFull && workMs !== undefined && workMs < target / 2) this.growth = 2;
  }

  /** The pages of the last reply were handled in `ms`: grow if the sink keeps up with more. */
  onHandled(ms: number): void {
    if (this.growth > 1 && ms < FAST_HANDLING_MS) this.pages = Math.min(this.ceiling(), this.pages * this.growth);
    this.growth = 1;
  }

  /** A timeout, a server fault or a work-limit refusal: halve the pages per request. */
  onTrouble(): void {
    this.growth = 1;
    this.pages = Math.max(1, Math.floor(this.pages / 2));
  }

  /** Learns the records' size from a page (a few records sampled, not the whole page). */
  observe(events: OfflineEvent[]): void {
    if (events.length === 0) return;
    const picks = [0, events.length >> 2, events.length >> 1, events.length - 1];
    let bytes = 0;
    for (const index of picks) bytes += JSON.stringify(events[index]).length;
    const perEvent = bytes / picks.length;
    this.bytesPerEvent = Math.max(perEvent, this.bytesPerEvent * 0.5);
  }

  /** The most pages in hand that the command, record and byte budgets allow. */
  private ceiling(): number {
    const { maxEvents, maxBytes } = this.limits;
    const pageSize = this.pageLimit;
    const byCommands = Math.floor(BATCH_LIMIT / (1 + commandsPerPage(pageSize, this.idsPerCommand)));
    const byEvents = Math.floor(maxEvents / pageSize);
    const byBytes = this.bytesPerEvent > 0 ? Math.floor(maxBytes / (pageSize * this.bytesPerEvent)) : Infinity;
    return Math.max(1, Math.min(byCommands, byEvents, byBytes));
  }
}
