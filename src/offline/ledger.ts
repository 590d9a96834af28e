import type { Settlement } from './queue.js';
import type { DrainStats, Page } from './types.js';

/**
 * What a drain holds on the portal: pages read and not yet handled, handled pages whose outcome the
 * portal has not fully taken, and what stays reserved once a page is settled. It keeps
 * `stats.holding` and `stats.leftReserved` true at every step, so a stop at any moment (a second
 * Ctrl-C, a fatal error) can say exactly what it leaves reserved, under which process ids.
 */
export class Ledger {
  /** handled pages whose outcome the portal has not fully taken yet */
  private settling: Settlement[] = [];
  /** pages read and not yet handled */
  private unread: Page[] = [];

  constructor(private readonly stats: DrainStats) {}

  /** Handled pages to settle in the next request. */
  get inHand(): Settlement[] {
    return this.settling;
  }

  /** Settle commands still to send. */
  get pendingCommands(): number {
    let count = 0;
    for (const settlement of this.settling) count += settlement.pending.length;
    return count;
  }

  /** Pages came back from a read: reserved on the portal until settled. */
  read(pages: Page[]): void {
    this.unread = pages.filter((page) => page.events.length > 0);
    this.refresh();
  }

  /** A page was handled: its outcome waits to be settled. */
  handled(page: Page, settlement: Settlement): void {
    this.unread = this.unread.filter((other) => other !== page);
    this.settling.push(settlement);
    this.refresh();
  }

  /** A page nothing of which was started (a stop came first): it stays reserved as a whole. */
  untouched(page: Page): void {
    this.unread = this.unread.filter((other) => other !== page);
    this.keep(page.processId, page.events.length);
    this.refresh();
  }

  /** After a request: pages the portal fully took leave the hand; what stays reserved of them is reported. */
  afterSettle(): void {
    const done = this.settling.filter((settlement) => settlement.pending.length === 0);
    if (done.length === 0) return;
    this.settling = this.settling.filter((settlement) => settlement.pending.length > 0);
    for (const settlement of done) this.keep(settlement.processId, settlement.staying);
    this.refresh();
  }

  /** A fatal error: every unsettled page stays reserved as a whole. */
  abandon(): void {
    for (const settlement of this.settling) this.keep(settlement.processId, settlement.rows);
    this.settling = [];
    this.refresh();
  }

  /** Records that stay reserved when the drain ends (0: some, count unknown). */
  keep(processId: string | null, count: number): void {
    if (!processId || count === 0) return;
    this.stats.leftReserved.set(processId, (this.stats.leftReserved.get(processId) ?? 0) + count);
  }

  private refresh(): void {
    const holding = this.stats.holding;
    holding.clear();
    const add = (processId: string | null, rows: number) => {
      if (processId) holding.set(processId, (holding.get(processId) ?? 0) + rows);
    };
    for (const settlement of this.settling) add(settlement.processId, settlement.rows);
    for (const page of this.unread) add(page.processId, page.events.length);
  }
}
