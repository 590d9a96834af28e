import { recoverable } from '../../offline/recovery.js';
import type { ExchangeWatch } from '../../offline/listen-queue.js';

/** A wall-clock step this large between two ticks (the monotonic clock stands still in sleep) is a sleep or a clock change. */
const JUMP_MS = 5_000;
const TICK_MS = 1_000;

/** Ends a drain run on purpose (a hung request after a clock jump, giving up): not a portal failure. */
export class RunAbort extends Error {
  constructor(readonly why: 'restart' | 'give-up') {
    super(why === 'restart' ? 'reconnecting' : 'gave up');
    this.name = 'RunAbort';
  }
}

export interface LinkDeps {
  /** wall clock (epoch ms, injectable) and monotonic clock */
  now(): number;
  mono(): number;
  note(text: string): void;
  /** the "reconnecting…" state for the status line; undefined once connected */
  state(text: string | undefined): void;
  /** with --give-up-after: how long the portal may stay unreachable */
  giveUpAfterMs?: number | undefined;
  /** the clock jumped; `inFlight`: a request is out (its connection is likely dead) */
  jumped(inFlight: boolean): void;
  gaveUp(reason: string): void;
}

/**
 * The listener's connection to the portal as the user sees it: never silent. The first failure of
 * an outage says "reconnecting…" (with the reason), the first success after it "reconnected"; a
 * wall-clock jump (the laptop slept) counts as an outage until a request gets through again.
 */
export class Link implements ExchangeWatch {
  private downSince: number | undefined;
  private reason = '';
  private busy = false;
  private lastWall: number;
  private lastMono: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: LinkDeps) {
    this.lastWall = deps.now();
    this.lastMono = deps.mono();
  }

  /** Watches the clock and the --give-up-after deadline until the returned stop. */
  start(): () => void {
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
    return () => clearInterval(this.timer);
  }

  get down(): boolean {
    return this.downSince !== undefined;
  }

  /** What the last failure was, for a final message. */
  get lastReason(): string {
    return this.reason;
  }

  inFlight(busy: boolean): void {
    this.busy = busy;
  }

  succeeded(): void {
    if (this.downSince === undefined) return;
    const down = this.deps.mono() - this.downSince;
    this.downSince = undefined;
    this.deps.state(undefined);
    this.deps.note(`Reconnected after ${duration(down)}`);
  }

  failed(error: unknown): void {
    if (error instanceof RunAbort) return;
    // refusals that will not pass on a retry end the listener with their own message
    const retry = recoverable(error, 1, true);
    if (retry) this.outage(retry.reason);
  }

  /** Checks the clock for a jump and the outage for its deadline (every second; public for tests). */
  tick(): void {
    const wall = this.deps.now();
    const mono = this.deps.mono();
    const drift = wall - this.lastWall - (mono - this.lastMono);
    this.lastWall = wall;
    this.lastMono = mono;
    if (Math.abs(drift) >= JUMP_MS) {
      this.outage(`the clock jumped ${duration(Math.abs(drift))} ${drift > 0 ? 'ahead' : 'back'}: was the machine asleep?`);
      this.deps.jumped(this.busy);
    }
    const limit = this.deps.giveUpAfterMs;
    if (limit !== undefined && this.downSince !== undefined && mono - this.downSince >= limit) {
      this.downSince = undefined;
      this.deps.gaveUp(this.reason);
    }
  }

  private outage(reason: string): void {
    this.reason = reason;
    this.deps.state(`reconnecting… (${reason})`);
    if (this.downSince !== undefined) return;
    this.downSince = this.deps.mono();
    this.deps.note(`Reconnecting… (${reason})`);
  }
}

/** "0.5s", "12s", "3m 5s", "2h 1m". */
export function duration(ms: number): string {
  if (ms < 10_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}
