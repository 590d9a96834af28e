/**
 * Client-side leaky bucket mirroring the portal's limiter (2 req/s after a burst of 50; Enterprise
 * 5/s and 250), so a long run paces itself instead of collecting 503s.
 */
export interface RateLimit {
  drainPerSec: number;
  burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { drainPerSec: 2, burst: 50 };

export class LeakyBucket {
  private level = 0;
  private lastDrain: number;

  constructor(
    private readonly limit: RateLimit | false,
    private readonly clock: () => number = Date.now,
  ) {
    this.lastDrain = clock();
  }

  /** Milliseconds to wait before the next request may be sent; reserves its slot. */
  reserve(): number {
    if (!this.limit) return 0;
    this.drain();
    this.level += 1;
    // One slot of headroom: requests reach the portal with jitter, so its bucket may drain a little later than ours.
    const excess = this.level - Math.max(1, this.limit.burst - 1);
    return excess > 0 ? Math.ceil((excess / this.limit.drainPerSec) * 1000) : 0;
  }

  /** The portal said the bucket is full: assume it is, so pacing slows down at once. */
  saturate(): void {
    if (!this.limit) return;
    this.drain();
    this.level = Math.max(this.level, this.limit.burst);
  }

  private drain(): void {
    if (!this.limit) return;
    const now = this.clock();
    this.level = Math.max(0, this.level - ((now - this.lastDrain) / 1000) * this.limit.drainPerSec);
    this.lastDrain = now;
  }
}

/** Parses `B24_RATE_LIMIT`: "2/50" (default), "5/250" (Enterprise), or "off". */
export function parseRateLimit(text: string | undefined): RateLimit | false | undefined {
  if (text === undefined || text === '') return undefined;
  if (text === 'off' || text === '0') return false;
  const match = /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const drainPerSec = Number(match[1]);
  const burst = Number(match[2]);
  return drainPerSec > 0 && burst > 0 ? { drainPerSec, burst } : undefined;
}
