import type { OfflineQueue, ReservedBatch } from './queue.js';

export interface ReclaimOptions {
  /** a batch still reserved under the same process id this long after it was first seen is taken over */
  afterMs: number;
  now: () => number;
}

/** A batch nobody settled: its records and how long it has been seen reserved (at least). */
export interface StaleBatch extends ReservedBatch {
  ageMs: number;
}

/**
 * Finds batches a `--follow` drain takes over on its own: reserved by a drain that died, or by a read
 * whose reply was lost (the portal reserved a page nobody saw). The portal does not say when a batch
 * was reserved (TIMESTAMP_X is the event's time), so the age is counted from the first time this drain
 * saw the batch reserved, by looking every half `afterMs` (the same walk as `--resume`): a batch is
 * taken over between `afterMs` and 1.5 × `afterMs` after it was reserved (one reserved before the
 * drain started: 1.5 × `afterMs` after the start).
 */
export class StaleBatches {
  private firstSeen = new Map<string, number>();
  /** the first look comes half `afterMs` after the start, not with the drain's first request */
  private lastLook: number;

  constructor(
    private readonly queue: OfflineQueue,
    private readonly options: ReclaimOptions,
    private readonly errorRows: boolean,
  ) {
    this.lastLook = options.now();
  }

  /** Milliseconds until the next look: an idle drain wakes for it instead of sleeping through it. */
  nextLookInMs(): number {
    return Math.max(0, this.lastLook + this.options.afterMs / 2 - this.options.now());
  }

  /**
   * The batches due now (none between looks). `ours` says which process ids this drain holds or
   * left reserved itself: they are never taken over.
   */
  async due(ours: (processId: string) => boolean): Promise<StaleBatch[]> {
    const now = this.options.now();
    if (now - this.lastLook < this.options.afterMs / 2) return [];
    this.lastLook = now;
    const seen = new Map<string, number>();
    const due: ReservedBatch[] = [];
    for (const batch of await this.queue.findReserved()) {
      // error rows that failed again stay reserved by design; a drain takes only what it would read itself
      if (batch.errorRows !== this.errorRows || ours(batch.processId)) continue;
      const first = this.firstSeen.get(batch.processId) ?? now;
      seen.set(batch.processId, first);
      if (now - first >= this.options.afterMs) due.push(batch);
    }
    this.firstSeen = seen; // a batch settled meanwhile is forgotten
    const stale: StaleBatch[] = [];
    for (const batch of takeSome(due)) {
      // looked up once more: a batch its drain settled meanwhile is left alone, and the count is exact
      const [current] = await this.queue.findReserved(batch.processId);
      if (current) stale.push({ ...current, ageMs: now - (seen.get(batch.processId) ?? now) });
      this.firstSeen.delete(batch.processId);
    }
    return stale;
  }
}

/** Stale batches taken over per look at most: the rest wait for the next look. */
const TAKEN_PER_LOOK = 4;

/**
 * A few of the due batches, picked at random: drains that look at the same time then mostly take
 * different ones, instead of all re-reading the same batches one request at a time (2 requests/s shared).
 */
function takeSome(due: ReservedBatch[]): ReservedBatch[] {
  const picked = [...due];
  for (let i = picked.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [picked[i], picked[j]] = [picked[j] as ReservedBatch, picked[i] as ReservedBatch];
  }
  return picked.slice(0, TAKEN_PER_LOOK);
}

/**
 * How long an idle `--follow` drain sleeps before it polls again: its back-off, but never past the next
 * look for stale batches (a `--reclaim-after` shorter than the back-off would otherwise wait a whole
 * back-off, up to 30 s, per look), and never less than `minMs`.
 */
export function idleDelayMs(backoffMs: number, minMs: number, stale: Pick<StaleBatches, 'nextLookInMs'> | undefined): number {
  return stale ? Math.min(backoffMs, Math.max(minMs, stale.nextLookInMs())) : backoffMs;
}

/** The one stderr line of a take-over: how many records, under which process id, how old (at least). */
export function reclaimNotice({ processId, rows, ageMs }: StaleBatch): string {
  const what = rows === undefined ? 'the records' : `${rows} record${rows === 1 ? '' : 's'}`;
  return `reclaiming ${what} reserved under ${processId} for at least ${formatAge(ageMs)} (no drain settled them)`;
}

/** `10m`, `1h 5m`, `45s`: an age as the stderr line shows it. */
function formatAge(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  const parts = [h && `${h}h`, m && `${m}m`, (s || seconds === 0) && `${s}s`].filter(Boolean);
  return parts.join(' ');
}
