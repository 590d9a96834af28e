import type { B24Client } from '../api/client.js';
import { OfflineQueue, type Exchange, type PageRequest, type Probes, type Settlement } from './queue.js';
import { waitFor } from './recovery.js';

/** How often a listener polls: its share of the portal's request budget. */
export interface PollPlan {
  /** between two requests while events flow (the budget cap: never closer) */
  fastMs: number;
  /** between two requests once the queue has been quiet for `idleAfterMs` */
  idleMs: number;
  idleAfterMs: number;
}

/**
 * A little under half of the portal's budget while events flow (one request per `2.2 / rate` seconds:
 * 1.1 s on the default 2 req/s, 45 %), half that once it has been quiet for 15 s; the application's
 * other calls keep the rest. Exactly half would be over it in any window that starts and ends with a
 * request (n + 1 requests in n intervals) and whenever a timer fires late and the next one early, so a
 * tenth is kept in hand. `fastMs` overrides the rate-derived interval (tests, a slow portal).
 */
export function pollPlan(requestsPerSecond: number, fastMs = Math.ceil(2200 / requestsPerSecond)): PollPlan {
  return { fastMs, idleMs: 2 * fastMs, idleAfterMs: 15_000 };
}

/**
 * Spaces a listener's requests by its plan, on the monotonic clock (a wall-clock jump must not make
 * it burst or stall). One poller may serve several queues: they then share the budget.
 */
export class Poller {
  private lastSent = -Infinity;
  private lastEvents = -Infinity;

  constructor(
    readonly plan: PollPlan,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Milliseconds until the next request may go out. */
  delay(): number {
    const now = this.clock();
    const interval = now - this.lastEvents < this.plan.idleAfterMs ? this.plan.fastMs : this.plan.idleMs;
    return Math.max(0, this.lastSent + interval - now);
  }

  /** Waits for the next slot (false: `signal` aborted first), then takes it. */
  async slot(signal: AbortSignal): Promise<boolean> {
    for (let wait = this.delay(); wait > 0; wait = this.delay()) if (!(await waitFor(wait, signal))) return false;
    this.lastSent = this.clock();
    return true;
  }

  /** A request went out without waiting (settling at a stop): it still counts against the budget. */
  took(): void {
    this.lastSent = this.clock();
  }

  /** Events came back: stay fast. */
  sawEvents(): void {
    this.lastEvents = this.clock();
  }
}

/** What a listener learns from each exchange with the portal. */
export interface ExchangeWatch {
  /** a request is about to go out (true) or came back (false) */
  inFlight(busy: boolean): void;
  succeeded(events: number): void;
  failed(error: unknown): void;
}

/**
 * The drain engine's queue, paced for a listener: every exchange waits for its slot, so polling stays
 * within the plan whatever the engine asks for (it reads again at once while events flow, and the
 * engine's own idle wait is left at zero). After a soft stop nothing new is read: what is in hand is
 * only settled, which goes out at once.
 */
export class ListenerQueue extends OfflineQueue {
  constructor(
    client: B24Client,
    connector: string | undefined,
    requestSignal: AbortSignal,
    private readonly poller: Poller,
    private readonly stop: AbortSignal,
    private readonly watch: ExchangeWatch,
  ) {
    super(client, connector, requestSignal);
  }

  override async exchange(settling: Settlement[], reads: PageRequest[], probes?: Probes): Promise<Exchange> {
    const settles = settling.some((settlement) => settlement.pending.length > 0);
    const slotted = settles && this.stop.aborted ? false : await this.poller.slot(this.stop);
    if (!slotted) {
      if (!settles) return { pages: [], counts: {} };
      this.poller.took();
    }
    // a read sent after the stop would reserve records nobody handles
    const wanted = this.stop.aborted ? [] : reads;
    this.watch.inFlight(true);
    try {
      const reply = await super.exchange(settling, wanted, probes);
      const events = reply.pages.reduce((sum, page) => sum + page.events.length, 0);
      if (events > 0) this.poller.sawEvents();
      this.watch.succeeded(events);
      return reply;
    } catch (error) {
      this.watch.failed(error);
      throw error;
    } finally {
      this.watch.inFlight(false);
    }
  }
}
