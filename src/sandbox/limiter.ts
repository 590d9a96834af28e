// The cloud's per-portal leaky bucket (reference §2.1, §12.33): every /rest/ HTTP request adds 1
// (a batch too), the level drains continuously, and a request that would lift it above the burst
// size is refused with 503 QUERY_LIMIT_EXCEEDED without being counted.

/** A leaky bucket; `take()` answers whether one more request fits. */
export class LeakyBucket {
  private level = 0;
  private updatedAt = Date.now();

  constructor(
    private readonly drainPerSec: number,
    private readonly burst: number,
  ) {}

  take(now: number = Date.now()): boolean {
    this.level = Math.max(0, this.level - ((now - this.updatedAt) / 1000) * this.drainPerSec);
    this.updatedAt = now;
    if (this.level + 1 > this.burst) return false;
    this.level += 1;
    return true;
  }
}
