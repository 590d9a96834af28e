import type { PageRequest, ReservedBatch } from './queue.js';
import type { DrainStats, Page, QueueSelection } from './types.js';

/**
 * Decides what to read next: first the reserved batches being resumed (walked by id, one read per
 * request: the next read starts after the last id seen), then fresh pages, several per request;
 * page sizes shrink so `max` is never exceeded. At most once reads one page at a time (each read
 * deletes what it returns, so fewer pages in hand means less to lose).
 */
export class Planner {
  private afterId: number | undefined;

  constructor(
    private readonly batches: ReservedBatch[],
    private readonly options: { selection: QueueSelection; max?: number | undefined; atMostOnce: boolean },
  ) {}

  /** The batch being resumed, if any. */
  get resuming(): ReservedBatch | undefined {
    return this.batches[0];
  }

  /** Batches to re-read after those queued: a `--follow` drain taking over stale ones. */
  add(batches: ReservedBatch[]): void {
    this.batches.push(...batches);
  }

  /** Whether a batch is queued to be re-read (or being re-read). */
  has(processId: string): boolean {
    return this.batches.some((batch) => batch.processId === processId);
  }

  /** The batches queued to be re-read (or being re-read). */
  processIds(): string[] {
    return this.batches.map((batch) => batch.processId);
  }

  /** Up to `pages` reads of up to `pageSize` records; none once `max` events were handed out. */
  requests(stats: DrainStats, pages: number, pageSize: number): PageRequest[] {
    let left = this.options.max === undefined ? Infinity : this.options.max - stats.handled - stats.failed;
    const batch = this.batches[0];
    if (batch) {
      const limit = Math.min(pageSize, left);
      return limit > 0 ? [{ kind: 'reread', limit, processId: batch.processId, errorRows: batch.errorRows, afterId: this.afterId }] : [];
    }
    const kind = this.options.atMostOnce ? 'take' : 'reserve';
    const reads: PageRequest[] = [];
    for (let i = 0; i < (this.options.atMostOnce ? 1 : pages) && left > 0; i += 1) {
      const limit = Math.min(pageSize, left);
      reads.push({ kind, limit, selection: this.options.selection });
      left -= limit;
    }
    return reads;
  }

  /** A page came back empty; true when that only ended a resumed batch (there is more to read). */
  onEmpty(): boolean {
    if (this.batches.length === 0) return false;
    this.endBatch();
    return true;
  }

  /**
   * Notes a page read for `request`. A resumed batch is done once a read returns fewer records than
   * asked for (there are none after the last id); returns true for that, so the caller reads on.
   */
  onPage(page: Page, request: PageRequest): boolean {
    const batch = this.batches[0];
    if (!batch || request.kind !== 'reread' || page.processId !== batch.processId) return false;
    for (const event of page.events) this.afterId = Math.max(this.afterId ?? 0, Number(event.ID));
    if (page.events.length >= request.limit) return false;
    this.endBatch();
    return true;
  }

  private endBatch(): void {
    this.batches.shift();
    this.afterId = undefined;
  }
}
