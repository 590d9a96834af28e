import type { PageRequest, ReservedBatch } from './queue.js';
import type { DrainStats, Page, QueueSelection } from './types.js';

/**
 * Decides what to read next: first the reserved batches being resumed (walked by id), then fresh
 * pages; page sizes shrink so `max` is never exceeded.
 */
export class Planner {
  private afterId: number | undefined;

  constructor(
    private readonly batches: ReservedBatch[],
    private readonly options: { selection: QueueSelection; batchSize: number; max?: number | undefined; atMostOnce: boolean },
  ) {}

  /** The batch being resumed, if any. */
  get resuming(): ReservedBatch | undefined {
    return this.batches[0];
  }

  /** The next read, or undefined once `max` events were handed out. */
  request(stats: DrainStats): PageRequest | undefined {
    const left = this.options.max === undefined ? Infinity : this.options.max - stats.handled - stats.failed;
    const limit = Math.min(this.options.batchSize, left);
    if (limit <= 0) return undefined;
    const batch = this.batches[0];
    if (batch) return { kind: 'reread', limit, processId: batch.processId, errorRows: batch.errorRows, afterId: this.afterId };
    return { kind: this.options.atMostOnce ? 'take' : 'reserve', limit, selection: this.options.selection };
  }

  /** A page came back empty; true when that only ended a resumed batch (there is more to read). */
  onEmpty(): boolean {
    if (this.batches.length === 0) return false;
    this.batches.shift();
    this.afterId = undefined;
    return true;
  }

  onPage(page: Page): void {
    const batch = this.batches[0];
    if (!batch || page.processId !== batch.processId) return;
    for (const event of page.events) this.afterId = Math.max(this.afterId ?? 0, Number(event.ID));
  }
}
