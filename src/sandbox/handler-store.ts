// Event handler records (reference §12 data model). Uniqueness follows the database index
// ux_b_rest_event_app_event: (APP_ID, EVENT_NAME, EVENT_HANDLER, USER_ID, CONNECTOR_ID).
import { isoDate } from './time.js';

/** One stored binding; EVENT_HANDLER is '' for offline subscriptions. */
export interface HandlerRecord {
  ID: number;
  APP_ID: number;
  EVENT_NAME: string;
  EVENT_HANDLER: string;
  USER_ID: number;
  CONNECTOR_ID: string;
  OPTIONS: Record<string, unknown>;
  APPLICATION_TOKEN: string;
  DATE_CREATE: string;
}

export type NewHandler = Omit<HandlerRecord, 'ID' | 'DATE_CREATE'>;

function uniqueKey(h: NewHandler): string {
  return JSON.stringify([h.APP_ID, h.EVENT_NAME, h.EVENT_HANDLER, h.USER_ID, h.CONNECTOR_ID]);
}

/** Handler records in ID order. */
export class HandlerStore {
  private readonly records = new Map<number, HandlerRecord>();
  private readonly keys = new Set<string>();
  private nextId = 1;

  /** Stores a binding; undefined when the unique tuple already exists (the caller reports ERROR_CORE). */
  add(fields: NewHandler): HandlerRecord | undefined {
    const key = uniqueKey(fields);
    if (this.keys.has(key)) return undefined;
    const record: HandlerRecord = { ...fields, ID: this.nextId++, DATE_CREATE: isoDate(Date.now()) };
    this.records.set(record.ID, record);
    this.keys.add(key);
    return record;
  }

  /** Deletes every record matching `predicate`; returns how many went. */
  remove(predicate: (h: HandlerRecord) => boolean): number {
    let count = 0;
    for (const record of this.records.values()) {
      if (!predicate(record)) continue;
      this.records.delete(record.ID);
      this.keys.delete(uniqueKey(record));
      count += 1;
    }
    return count;
  }

  /** Records matching `predicate` (all when omitted), ordered by ID. */
  list(predicate: (h: HandlerRecord) => boolean = () => true): HandlerRecord[] {
    return [...this.records.values()].filter(predicate);
  }

  /** Online handlers of one event, optionally limited to one app. */
  online(eventName: string, appId?: number): HandlerRecord[] {
    return this.list((h) => h.EVENT_NAME === eventName && h.EVENT_HANDLER !== '' && (appId === undefined || h.APP_ID === appId));
  }

  /** Offline subscriptions of one event: each names one (app, connector) queue. */
  offline(eventName: string): HandlerRecord[] {
    return this.list((h) => h.EVENT_NAME === eventName && h.EVENT_HANDLER === '');
  }
}
