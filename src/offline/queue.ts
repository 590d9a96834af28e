import { runBatch, type BatchCommand } from '../api/batch.js';
import type { B24Client, CallOptions } from '../api/client.js';
import { connectorParams, getOfflineEvents, listOfflinePage, parseOfflinePage, queueCommands, type GetQuery, type Scalar } from '../api/offline.js';
import type { Page, PageOutcome, QueueSelection } from './types.js';

/** The next page to read: a fresh reservation, a re-read of a reserved batch, or a read-and-delete. */
export type PageRequest =
  | { kind: 'reserve'; limit: number; selection: QueueSelection }
  | { kind: 'reread'; limit: number; processId: string; errorRows: boolean; afterId: number | undefined }
  | { kind: 'take'; limit: number; selection: QueueSelection };

/** A page and what happened to it; `settled` once the portal has been told. */
export interface Settlement {
  page: Page;
  outcome: PageOutcome;
  settled: boolean;
}

/** A batch left reserved on the portal, found through `event.offline.list`. */
export interface ReservedBatch {
  processId: string;
  errorRows: boolean;
}

/**
 * Ids per clear/error command inside a batch: sub-commands travel as query strings, so keep each
 * array well inside PHP's input-variable limits (1000 by default).
 */
const IDS_PER_COMMAND = 500;

/** The wire side of a drain: what to send for each step, combining steps into one `batch` request. */
export class OfflineQueue {
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

  /** Reads a page on its own (JSON body: integers stay integers). */
  async fetch(request: PageRequest): Promise<Page> {
    const page = await getOfflineEvents(this.client, toQuery(request), this.connector, this.callOptions());
    return { processId: request.kind === 'take' ? null : page.processId, errorRows: errorRowsOf(request), events: page.events };
  }

  /**
   * Reports a page's outcome (flag the failures first, then confirm the successes by id) and reads
   * the next page, all in one `batch` request (one rate-limit slot). `halt` stops the chain at the
   * first failure, so a page is never read past an unsettled one. Marks `settlement.settled` as
   * soon as the portal has taken the outcome.
   */
  async settleAndFetch(settlement: Settlement, next: PageRequest | undefined): Promise<Page | undefined> {
    const commands = settlement.settled ? [] : settleCommands(settlement.page, settlement.outcome);
    if (commands.length === 0) {
      settlement.settled = true;
      return next ? this.fetch(next) : undefined;
    }
    if (next) commands.push(queueCommands.get('next', toQuery(next), this.connector));
    const outcomes = await runBatch(this.client, commands, {
      halt: true,
      outer: connectorParams(this.connector),
      // a fresh reservation must not be sent twice; settling alone may be
      idempotent: !next || next.kind === 'reread',
      ...this.callOptions(),
    });
    const failure = outcomes.find((o) => !o.ok && o.key !== 'next');
    if (failure && !failure.ok) throw failure.error;
    settlement.settled = true;
    const fetched = outcomes.find((o) => o.key === 'next');
    if (!next || !fetched) return undefined;
    if (!fetched.ok) throw fetched.error;
    const page = parseOfflinePage(fetched.result);
    return { processId: page.processId, errorRows: errorRowsOf(next), events: page.events };
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
      found.push({ processId: row.PROCESS_ID, errorRows: String(row.ERROR) === '1' });
      if (processId) return found;
      below = row.PROCESS_ID;
    }
  }

  /** Unreserved records matching the selection, from the list total (one request). */
  async size(selection: QueueSelection): Promise<number | undefined> {
    const page = await listOfflinePage(
      this.client,
      { filter: { ...selectionFilter(selection), ERROR: selection.errors ? 1 : 0, PROCESS_ID: '' } },
      this.connector,
    );
    return typeof page.total === 'number' ? page.total : undefined;
  }

  private callOptions(): CallOptions {
    return { signal: this.signal };
  }
}

function settleCommands(page: Page, outcome: PageOutcome): BatchCommand[] {
  if (!page.processId) return [];
  const processId = page.processId;
  const commands: BatchCommand[] = [];
  // Error-flagged rows stay flagged and reserved when they fail again; flagging them is a no-op
  // that would only delete newer copies of the same messages.
  if (!page.errorRows) {
    chunks(outcome.failedMessageIds).forEach((ids, i) => commands.push(queueCommands.error(`error${i}`, processId, ids)));
  }
  chunks(outcome.handledIds).forEach((ids, i) => commands.push(queueCommands.clear(`clear${i}`, processId, { ids })));
  return commands;
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += IDS_PER_COMMAND) out.push(items.slice(i, i + IDS_PER_COMMAND));
  return out;
}

function selectionFilter(selection: QueueSelection): Record<string, Scalar> {
  return selection.eventName ? { '=EVENT_NAME': selection.eventName } : {};
}

function errorRowsOf(request: PageRequest): boolean {
  return request.kind === 'reread' ? request.errorRows : request.selection.errors;
}

function toQuery(request: PageRequest): GetQuery {
  if (request.kind === 'reread') {
    return {
      limit: request.limit,
      clear: false,
      processId: request.processId,
      error: request.errorRows,
      // walk the batch by id, so records that stay in it (failed again) are not read twice
      filter: request.afterId === undefined ? undefined : { '>ID': request.afterId },
      order: { ID: 'ASC' },
    };
  }
  return { limit: request.limit, clear: request.kind === 'take', error: request.selection.errors, filter: selectionFilter(request.selection) };
}
