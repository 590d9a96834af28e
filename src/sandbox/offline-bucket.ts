// One offline queue, i.e. the rows of one (application, connector) pair, with the indexes that keep
// every queue operation proportional to the rows it touches rather than to the queue's length.
//
// A row is in exactly one state: pending (unreserved, ERROR=0), errored (unreserved, ERROR=1) or
// reserved (PROCESS_ID set, either ERROR). Pending rows never come back once they leave, so a Map
// filled at creation stays in ID order, and a second Map re-inserted on every write stays in
// TIMESTAMP_X order — the two default orders of event.offline.get need no sorting.

/** A queue row (reference §12 data model); `seq` orders writes within one TIMESTAMP_X second. */
export interface QueueRow {
  ID: number;
  TIMESTAMP_X: number;
  MESSAGE_ID: string;
  APP_ID: number;
  EVENT_NAME: string;
  EVENT_DATA: unknown;
  EVENT_ADDITIONAL: { user_id: number };
  PROCESS_ID: string;
  CONNECTOR_ID: string;
  ERROR: 0 | 1;
  seq: number;
}

/** Rows of one (app, connector) queue. */
export class QueueBucket {
  /** Every row, in ID order (IDs only grow and rows are inserted once). */
  readonly all = new Map<number, QueueRow>();
  readonly pendingById = new Map<number, QueueRow>();
  readonly pendingByTime = new Map<number, QueueRow>();
  readonly errored = new Map<number, QueueRow>();
  private readonly batches = new Map<string, Map<number, QueueRow>>();
  private readonly unreservedByMessage = new Map<string, QueueRow>();
  private readonly byMessage = new Map<string, Set<QueueRow>>();
  /** Bumped on every change; lets readers cache derived views. */
  version = 0;

  /** Adds a brand-new row (unreserved unless the caller set PROCESS_ID). */
  insert(row: QueueRow): void {
    this.all.set(row.ID, row);
    let copies = this.byMessage.get(row.MESSAGE_ID);
    if (!copies) this.byMessage.set(row.MESSAGE_ID, (copies = new Set()));
    copies.add(row);
    this.place(row);
    this.version += 1;
  }

  /** Re-writes an unreserved row in place: ID and ERROR stay, it moves to the back of TIMESTAMP_X order. */
  refresh(row: QueueRow, data: unknown, userId: number, at: number, seq: number): void {
    Object.assign(row, { EVENT_DATA: data, EVENT_ADDITIONAL: { user_id: userId }, TIMESTAMP_X: at, seq });
    if (this.pendingByTime.delete(row.ID)) this.pendingByTime.set(row.ID, row);
    this.version += 1;
  }

  /** The unreserved row of a message (the unique index allows at most one). */
  unreserved(messageId: string): QueueRow | undefined {
    return this.unreservedByMessage.get(messageId);
  }

  /** Every row carrying `messageId`, whatever its state. */
  copies(messageId: string): QueueRow[] {
    return [...(this.byMessage.get(messageId) ?? [])];
  }

  /** Rows reserved under `processId` (reservation order). */
  batch(processId: string): Map<number, QueueRow> {
    return this.batches.get(processId) ?? new Map<number, QueueRow>();
  }

  /** Moves a pending or errored row into batch `processId`. */
  reserve(row: QueueRow, processId: string): void {
    this.unplace(row);
    row.PROCESS_ID = processId;
    this.place(row);
    this.version += 1;
  }

  /** Turns a row into the unreserved error row of its message (event.offline.error, step 2). */
  flag(row: QueueRow): void {
    this.unplace(row);
    row.ERROR = 1;
    row.PROCESS_ID = '';
    this.place(row);
    this.version += 1;
  }

  delete(row: QueueRow): void {
    if (!this.all.delete(row.ID)) return;
    this.unplace(row);
    const copies = this.byMessage.get(row.MESSAGE_ID);
    copies?.delete(row);
    if (copies?.size === 0) this.byMessage.delete(row.MESSAGE_ID);
    this.version += 1;
  }

  private place(row: QueueRow): void {
    if (row.PROCESS_ID !== '') {
      let batch = this.batches.get(row.PROCESS_ID);
      if (!batch) this.batches.set(row.PROCESS_ID, (batch = new Map<number, QueueRow>()));
      batch.set(row.ID, row);
      return;
    }
    this.unreservedByMessage.set(row.MESSAGE_ID, row);
    if (row.ERROR === 1) {
      this.errored.set(row.ID, row);
    } else {
      this.pendingById.set(row.ID, row);
      this.pendingByTime.set(row.ID, row);
    }
  }

  private unplace(row: QueueRow): void {
    if (row.PROCESS_ID !== '') {
      const batch = this.batches.get(row.PROCESS_ID);
      batch?.delete(row.ID);
      if (batch?.size === 0) this.batches.delete(row.PROCESS_ID);
      return;
    }
    if (this.unreservedByMessage.get(row.MESSAGE_ID) === row) this.unreservedByMessage.delete(row.MESSAGE_ID);
    this.errored.delete(row.ID);
    this.pendingById.delete(row.ID);
    this.pendingByTime.delete(row.ID);
  }
}
