// The portal's offline event queues and their operations (reference §6, §12.17–25). Each method
// here is one server statement or one documented effect; the REST layer in methods/offline.ts only
// validates input and shapes output.
import { QueueBucket, type QueueRow } from './offline-bucket.js';
import { matchesAll, rowComparator, type Condition, type OrderTerm } from './offline-query.js';
import { phpJsonEncode } from './php.js';
import { md5, randomAlnum } from './random.js';

/** What to select from a queue. */
export interface Selection {
  error: 0 | 1;
  conditions: Condition[];
  order: OrderTerm[];
  limit: number;
}

/** All offline queues of the portal, one bucket per (app, connector). */
export class OfflineQueue {
  private readonly buckets = new Map<string, QueueBucket>();
  private nextId = 1;
  private seq = 0;

  /**
   * Writes one event into an app's queue with the server's coalescing upsert on
   * (MESSAGE_ID, app, connector, PROCESS_ID=''): an unreserved copy is refreshed in place,
   * otherwise a new row is added (also when the only copies are reserved). True when a row was added.
   */
  write(appId: number, connector: string, eventName: string, data: unknown, userId: number): boolean {
    const bucket = this.bucket(appId, connector, true);
    const stored = JSON.parse(phpJsonEncode(data)) as unknown;
    const messageId = md5(`${eventName}|${phpJsonEncode(stored)}`);
    const now = Date.now();
    const existing = bucket.unreserved(messageId);
    if (existing) {
      bucket.refresh(existing, stored, userId, now, ++this.seq);
      return false;
    }
    const row: QueueRow = {
      ID: this.nextId++,
      TIMESTAMP_X: now,
      MESSAGE_ID: messageId,
      APP_ID: appId,
      EVENT_NAME: eventName,
      EVENT_DATA: stored,
      EVENT_ADDITIONAL: { user_id: userId },
      PROCESS_ID: '',
      CONNECTOR_ID: connector,
      ERROR: 0,
      seq: ++this.seq,
    };
    bucket.insert(row);
    return true;
  }

  /** Stamps up to `limit` unreserved rows with a fresh 32-character process id and returns them. */
  reserve(appId: number, connector: string, sel: Selection): { processId: string; rows: QueueRow[] } {
    const processId = randomAlnum(32);
    const bucket = this.bucket(appId, connector, false);
    if (!bucket) return { processId, rows: [] };
    const rows = pick(unreservedSource(bucket, sel), sel);
    for (const row of rows) bucket.reserve(row, processId);
    return { processId, rows };
  }

  /** Rows of batch `processId` ('' = the unreserved rows) without changing anything. */
  read(appId: number, connector: string, processId: string, sel: Selection): QueueRow[] {
    const bucket = this.bucket(appId, connector, false);
    if (!bucket) return [];
    if (processId === '') return pick(unreservedSource(bucket, sel), sel);
    const rows = [...bucket.batch(processId).values()].filter((row) => row.ERROR === sel.error);
    return pick({ rows, sorted: false }, sel);
  }

  /**
   * Deletes rows of batch `processId` ('' = every unreserved row, error rows included), optionally
   * only those whose MESSAGE_ID or ID is listed.
   */
  clear(appId: number, connector: string, processId: string, only?: { messageIds?: string[]; ids?: number[] }): void {
    const bucket = this.bucket(appId, connector, false);
    if (!bucket) return;
    const messageIds = only?.messageIds && new Set(only.messageIds);
    const ids = only?.ids && new Set(only.ids);
    for (const row of batchRows(bucket, processId)) {
      if (messageIds && !messageIds.has(row.MESSAGE_ID)) continue;
      if (ids && !ids.has(row.ID)) continue;
      bucket.delete(row);
    }
  }

  /**
   * event.offline.error: for each message, delete ERROR=0 copies outside batch `processId`, then turn
   * the batch's copies into unreserved ERROR=1 rows. Where an error row of the message already exists
   * the unique index would refuse a second one, so the batch copy is dropped and the old row stays.
   */
  markError(appId: number, connector: string, processId: string, messageIds: string[]): void {
    const bucket = this.bucket(appId, connector, false);
    if (!bucket) return;
    for (const messageId of new Set(messageIds)) {
      const copies = bucket.copies(messageId).filter((row) => row.ERROR === 0);
      for (const row of copies) if (row.PROCESS_ID !== processId) bucket.delete(row);
      for (const row of copies) {
        if (row.PROCESS_ID !== processId) continue;
        if (row.PROCESS_ID !== '' && bucket.unreserved(messageId)) bucket.delete(row);
        else bucket.flag(row);
      }
    }
  }

  /** All rows of one queue matching `conditions`, sorted; cached until the queue changes. */
  list(appId: number, connector: string, conditions: Condition[], order: OrderTerm[]): QueueRow[] {
    const bucket = this.bucket(appId, connector, false);
    if (!bucket) return [];
    const key = `${bucket.version}|${JSON.stringify([conditions, order])}`;
    const cached = listCache.get(bucket);
    if (cached?.key === key) return cached.rows;
    const natural = order.length === 1 && order[0]?.field === 'ID' && !order[0].desc;
    const rows = [...bucket.all.values()].filter((row) => matchesAll(row, conditions));
    if (!natural) rows.sort(rowComparator(order));
    listCache.set(bucket, { key, rows });
    return rows;
  }

  /** Every row of the portal (or of one app) in ID order, for assertions. */
  rows(appId?: number): QueueRow[] {
    const rows: QueueRow[] = [];
    for (const bucket of this.buckets.values()) {
      for (const row of bucket.all.values()) if (appId === undefined || row.APP_ID === appId) rows.push(row);
    }
    return rows.sort((a, b) => a.ID - b.ID);
  }

  private bucket(appId: number, connector: string, create: true): QueueBucket;
  private bucket(appId: number, connector: string, create: false): QueueBucket | undefined;
  private bucket(appId: number, connector: string, create: boolean): QueueBucket | undefined {
    const key = JSON.stringify([appId, connector]);
    let bucket = this.buckets.get(key);
    if (!bucket && create) this.buckets.set(key, (bucket = new QueueBucket()));
    return bucket;
  }
}

const listCache = new WeakMap<QueueBucket, { key: string; rows: QueueRow[] }>();

interface Source {
  rows: Iterable<QueueRow>;
  sorted: boolean;
}

// Pending rows are already kept in the two default orders; everything else is sorted on demand.
function unreservedSource(bucket: QueueBucket, sel: Selection): Source {
  if (sel.error === 1) return { rows: bucket.errored.values(), sorted: false };
  const [first, ...rest] = sel.order;
  if (first && rest.length === 0 && !first.desc) {
    if (first.field === 'TIMESTAMP_X') return { rows: bucket.pendingByTime.values(), sorted: true };
    if (first.field === 'ID') return { rows: bucket.pendingById.values(), sorted: true };
  }
  return { rows: bucket.pendingById.values(), sorted: false };
}

function pick(source: Source, sel: Selection): QueueRow[] {
  if (source.sorted) {
    const rows: QueueRow[] = [];
    for (const row of source.rows) {
      if (rows.length >= sel.limit) break;
      if (matchesAll(row, sel.conditions)) rows.push(row);
    }
    return rows;
  }
  const matching = [...source.rows].filter((row) => matchesAll(row, sel.conditions));
  return matching.sort(rowComparator(sel.order)).slice(0, sel.limit);
}

function batchRows(bucket: QueueBucket, processId: string): QueueRow[] {
  if (processId !== '') return [...bucket.batch(processId).values()];
  return [...bucket.pendingById.values(), ...bucket.errored.values()];
}
