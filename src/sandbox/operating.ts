// The per-method operating budget behind OPERATION_TIME_LIMIT (reference §2.2; docs limits.md;
// server Bitrix\Rest\Engine\Access\LoadLimiter). Execution time is summed per (auth type, app or
// webhook, method) in 10 baskets of window/10 each; a hit of 0.1 s or less is not counted. Once the
// sum exceeds the limit, the *next* call of that method by that caller gets 429 until enough old
// baskets expire. `operating_reset_at` is when the oldest live basket expires: its first call + the
// window. The outer `batch` is exempt; its sub-calls count against their own methods.
//
// Sandbox calls take a millisecond, so `chargeSec` adds simulated seconds to every call (or per
// method) and `limitSec`/`windowSec` shrink the budget, for tests and users to reach the limit.

const BASKETS = 10;
const MIN_COUNTED_SEC = 0.1;

/** The budget's settings; defaults 480 s per 600 s (the docs' example), nothing simulated per call. */
export interface OperatingSettings {
  limitSec: number;
  windowSec: number;
  /** seconds added to each call's real duration, for all methods or per (lower-case) method */
  chargeSec: number | Readonly<Record<string, number>>;
}

/** What a reply's `time` block says about the method's budget. */
export interface OperatingStatus {
  /** seconds used in the current window */
  operating: number;
  /** epoch seconds when the oldest basket expires */
  resetAt: number;
}

interface Basket {
  seconds: number;
  expiresAt: number;
}

/** Operating time per caller and method. */
export class OperatingBudget {
  private readonly usage = new Map<string, Map<number, Basket>>();

  constructor(private readonly settings: OperatingSettings) {}

  /** Whether the method is blocked for this caller right now (checked before the call runs). */
  blocked(key: string, now = Date.now()): boolean {
    return this.status(key, now, now).operating > this.settings.limitSec;
  }

  /** Books one finished call that started at `startedMs` and took `elapsedMs`. */
  record(key: string, method: string, startedMs: number, elapsedMs: number): void {
    const seconds = elapsedMs / 1000 + this.simulated(method);
    if (seconds <= MIN_COUNTED_SEC) return;
    let baskets = this.usage.get(key);
    if (!baskets) this.usage.set(key, (baskets = new Map<number, Basket>()));
    const number = Math.floor(startedMs / this.basketMs());
    const basket = baskets.get(number);
    if (basket) basket.seconds += seconds;
    else baskets.set(number, { seconds, expiresAt: startedMs + this.settings.windowSec * 1000 });
  }

  /** The method's sum and reset time as a reply reports them; `startedMs` is the call's start. */
  status(key: string, startedMs: number, now = Date.now()): OperatingStatus {
    const live = this.live(key, now);
    const oldest = live[0];
    const resetMs = oldest ? oldest.expiresAt : startedMs + this.settings.windowSec * 1000;
    return { operating: live.reduce((sum, basket) => sum + basket.seconds, 0), resetAt: Math.floor(resetMs / 1000) };
  }

  // Baskets of the last `BASKETS` numbers that have not expired, oldest first.
  private live(key: string, now: number): Basket[] {
    const baskets = this.usage.get(key);
    if (!baskets) return [];
    const current = Math.floor(now / this.basketMs());
    const live: Basket[] = [];
    for (const [number, basket] of [...baskets].sort(([a], [b]) => a - b)) {
      if (number <= current - BASKETS || basket.expiresAt <= now) baskets.delete(number);
      else live.push(basket);
    }
    return live;
  }

  private basketMs(): number {
    return (this.settings.windowSec * 1000) / BASKETS;
  }

  private simulated(method: string): number {
    const charge = this.settings.chargeSec;
    return typeof charge === 'number' ? charge : (charge[method] ?? 0);
  }
}

/** The budget key of a caller and method: (auth type, app client id or webhook, method). */
export function operatingKey(authType: string, entity: string, method: string): string {
  return JSON.stringify([authType, entity, method]);
}
