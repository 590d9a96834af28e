import { BATCH_LIMIT, batchRequest, type BatchCommand, type BatchOutcome } from '../api/batch.js';
import type { ApiError } from '../api/errors.js';
import type { B24Client, CallOptions } from '../api/client.js';
import { connectorParams, getOfflineEvents, listOfflinePage, parseOfflinePage, queueCommands, type Scalar } from '../api/offline.js';
import { chunks, countsOf, errorRowsOf, probeCommands, toQuery } from './queue-wire.js';
import type { Page, PageOutcome, QueueSelection } from './types.js';

/** The next page to read: a fresh reservation, a re-read of a reserved batch, or a read-and-delete. */
export type PageRequest =
  | { kind: 'reserve'; limit: number; selection: QueueSelection }
  | { kind: 'reread'; limit: number; processId: string; errorRows: boolean; afterId: number | undefined }
  | { kind: 'take'; limit: number; selection: QueueSelection };

/** A handled page waiting to be settled: its flag and confirm commands, sent until the portal took each. */
export interface Settlement {
  processId: string | null;
  /** records of the page (all of them stay reserved if the drain dies before settling) */
  rows: number;
  /** records that stay reserved once it is settled (not attempted; error rows that failed again) */
  staying: number;
  /** commands the portal has not yet confirmed taking */
  pending: BatchCommand[];
}

/** A batch left reserved on the portal, found through `event.offline.list`. */
export interface ReservedBatch {
  processId: string;
  errorRows: boolean;
  /** its records, when looked up by id */
  rows?: number | undefined;
}

/** Counts asked for along with the first request (one rate-limit slot for all of it). */
export interface Probes {
  /** unreserved records matching this selection */
  unreserved?: QueueSelection | undefined;
  /** records reserved by earlier drains (killed, or running now) */
  reserved?: boolean | undefined;
}

export interface Exchange {
  /** the reads that came back, in order */
  pages: Page[];
  /** the first read that failed (earlier reads still count: their records are reserved) */
  readError?: ApiError | undefined;
  /** the portal's own account of its work on the request, when it gives one */
  workMs?: number | undefined;
  counts: { unreserved?: number | undefined; reserved?: number | undefined };
  /** failures the client retried by itself on the way (an OPERATION_TIME_LIMIT waited out, say) */
  retried?: unknown[];
}

export { IDS_PER_COMMAND } from './queue-wire.js';

/** The wire side of a drain: what to send for each step, combining steps into one `batch` request. */
export class OfflineQueue {
  private keys = 0;
  /** what the client retried during the current exchange */
  private retried: unknown[] = [];

  /**
   * @param signal aborts requests; the engine passes one that Ctrl-C does not trip, so confirming
   *   what was handled still goes out after an interrupt.
   */
  constructor(
    private readonly client: B24Client,
    private readonly connector: string | undefined,
    private readonly signal: AbortSignal,
  ) {}

  get requestCount(): number {
    return this.client.requestCount;
  }

  /** The commands that settle a handled page: flag the failures first, then confirm the successes by id. */
  settlement(page: Page, outcome: PageOutcome, staying: number): Settlement {
    const pending: BatchCommand[] = [];
    const processId = page.processId;
    if (processId) {
      // Error-flagged rows stay flagged and reserved when they fail again; flagging them is a no-op
      // that would only delete newer copies of the same messages.
      if (!page.errorRows) for (const ids of chunks(outcome.failedMessageIds)) pending.push(queueCommands.error(this.key('e'), processId, ids));
      for (const ids of chunks(outcome.handledIds)) pending.push(queueCommands.clear(this.key('c'), processId, { ids }));
    }
    return { processId, rows: page.events.length, staying, pending };
  }

  /**
   * Settles the handled pages and reads the next ones, in as few `batch` requests as the 50-command
   * limit allows (usually one: one rate-limit slot). `halt` stops the chain at the first failure, so
   * nothing is read past an unsettled page. A command leaves `pending` as soon as the portal took it.
   */
  async exchange(settling: Settlement[], reads: PageRequest[], probes: Probes = {}): Promise<Exchange> {
    this.retried = [];
    const reply = await this.settleAndRead(settling, reads, probes);
    return { ...reply, retried: this.retried };
  }

  private async settleAndRead(settling: Settlement[], reads: PageRequest[], probes: Probes): Promise<Exchange> {
    const owners = new Map<string, Settlement>();
    const settle: BatchCommand[] = [];
    for (const settlement of settling) {
      for (const command of settlement.pending) {
        owners.set(command.key, settlement);
        settle.push(command);
      }
    }
    const extra = [...probeCommands(probes), ...reads.map((read) => queueCommands.get(this.key('r'), toQuery(read), this.connector))];
    if (settle.length === 0 && extra.length === 1 && reads.length === 1) return this.readAlone(reads[0] as PageRequest);
    let from = 0;
    // settling many pages with failures can exceed one batch: settle first, read in the last request
    while (settle.length - from + extra.length > BATCH_LIMIT) {
      const chunk = settle.slice(from, from + BATCH_LIMIT);
      this.take(await this.send(chunk, true), owners);
      from += chunk.length;
    }
    const commands = [...settle.slice(from), ...extra];
    if (commands.length === 0) return { pages: [], counts: {} };
    const fresh = reads.some((read) => read.kind !== 'reread');
    const reply = await batchRequest(this.client, commands, {
      halt: settle.length > from,
      outer: connectorParams(this.connector),
      // a fresh reservation must not be sent twice; settling alone may be
      idempotent: !fresh,
      ...this.callOptions(),
    });
    this.take(reply.outcomes, owners);
    return { ...this.readsOf(reply.outcomes.slice(commands.length - reads.length), reads), workMs: reply.workMs, counts: countsOf(reply.outcomes) };
  }

  /** Reserved batches of this queue: one by id, or all (one request per batch, via PROCESS_ID order). */
  async findReserved(processId?: string): Promise<ReservedBatch[]> {
    const found: ReservedBatch[] = [];
    let below: string | undefined;
    for (;;) {
      const filter: Record<string, Scalar> = processId ? { PROCESS_ID: processId } : below === undefined ? {} : { '<PROCESS_ID': below };
      const page = await listOfflinePage(this.client, { filter, order: { PROCESS_ID: 'DESC' } }, this.connector);
      const row = page.result[0];
      if (!row || !row.PROCESS_ID) return found;
      found.push({ processId: row.PROCESS_ID, errorRows: String(row.ERROR) === '1', rows: processId ? page.total : undefined });
      if (processId) return found;
      below = row.PROCESS_ID;
    }
  }

  /** A read on its own (JSON body: integers stay integers). */
  private async readAlone(request: PageRequest): Promise<Exchange> {
    const page = await getOfflineEvents(this.client, toQuery(request), this.connector, this.callOptions());
    return {
      pages: [{ processId: request.kind === 'take' ? null : page.processId, errorRows: errorRowsOf(request), events: page.events }],
      workMs: page.workMs,
      counts: {},
    };
  }

  private async send(commands: BatchCommand[], halt: boolean): Promise<BatchOutcome[]> {
    const reply = await batchRequest(this.client, commands, { halt, outer: connectorParams(this.connector), idempotent: true, ...this.callOptions() });
    return reply.outcomes;
  }

  /** Drops the settle commands the portal took from their pages; throws the first one it refused. */
  private take(outcomes: BatchOutcome[], owners: Map<string, Settlement>): void {
    let refused: ApiError | undefined;
    for (const outcome of outcomes) {
      const owner = owners.get(outcome.key);
      if (!owner) continue;
      if (outcome.ok) owner.pending = owner.pending.filter((command) => command.key !== outcome.key);
      else refused ??= outcome.error;
    }
    if (refused) throw refused;
  }

  private readsOf(outcomes: BatchOutcome[], reads: PageRequest[]): Pick<Exchange, 'pages' | 'readError'> {
    const pages: Page[] = [];
    let readError: ApiError | undefined;
    outcomes.forEach((outcome, i) => {
      const read = reads[i] as PageRequest;
      if (!outcome.ok) return void (readError ??= outcome.error);
      const page = parseOfflinePage(outcome.result);
      pages.push({ processId: read.kind === 'take' ? null : page.processId, errorRows: errorRowsOf(read), events: page.events });
    });
    return { pages, readError };
  }

  private key(kind: string): string {
    this.keys += 1;
    return `${kind}${this.keys}`;
  }

  private callOptions(): CallOptions {
    return { signal: this.signal, onRetry: (error) => this.retried.push(error) };
  }
}
