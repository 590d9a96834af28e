import { ApiError } from './errors.js';

/**
 * The records of the offline queue as the portal returns them, and the cheap guard that checks a reply
 * before the drain trusts it (no schema copy: the records are kept exactly as sent).
 */

/** A queued event as `event.offline.get` returns it; unknown fields are kept. */
export interface OfflineEvent {
  ID: string | number;
  EVENT_NAME: string;
  MESSAGE_ID: string;
  TIMESTAMP_X?: string | undefined;
  [field: string]: unknown;
}

/** A row of `event.offline.list`: an event plus its reservation and error flag. */
export interface OfflineRow extends OfflineEvent {
  PROCESS_ID?: string | null | undefined;
  ERROR?: string | number | null | undefined;
}

export interface OfflinePage {
  processId: string | null;
  events: OfflineEvent[];
  /** how long the portal worked on the read (its `time.duration`), when it says */
  workMs?: number | undefined;
}

/**
 * Parses the result of `event.offline.get` (also when it comes back inside a batch). The events
 * are validated but returned as the portal sent them (field order and all).
 */
export function parseOfflinePage(result: unknown): OfflinePage {
  const page = result as { process_id?: unknown; events?: unknown } | null;
  if (!page || typeof page !== 'object' || !Array.isArray(page.events)) throw malformed('event.offline.get', 'it has no events array');
  const processId = page.process_id ?? null;
  if (processId !== null && typeof processId !== 'string') throw malformed('event.offline.get', 'its process_id is not a string');
  checkRows('event.offline.get', page.events);
  return { processId, events: page.events as OfflineEvent[] };
}

/**
 * A cheap guard instead of a schema copy: every record needs an ID and the names the drain uses;
 * the records themselves are kept as the portal sent them (field order and all).
 */
export function checkRows(method: string, rows: unknown[]): void {
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as Partial<OfflineRow> | null;
    const fine =
      row !== null &&
      typeof row === 'object' &&
      (typeof row.ID === 'string' || typeof row.ID === 'number') &&
      typeof row.EVENT_NAME === 'string' &&
      typeof row.MESSAGE_ID === 'string' &&
      (row.PROCESS_ID === undefined || row.PROCESS_ID === null || typeof row.PROCESS_ID === 'string');
    if (!fine) throw malformed(method, `record ${i + 1} lacks ID, EVENT_NAME or MESSAGE_ID`);
  }
}

export function malformed(method: string, why: string): ApiError {
  return new ApiError({ code: 'MALFORMED_REPLY', status: 200, description: `the portal's reply is not what the method returns: ${why}`, method });
}

/** The total of a list reply inside a batch (rows checked like `listOfflinePage`). */
export function listTotal(result: unknown, total: number | undefined): number | undefined {
  if (!Array.isArray(result)) throw malformed('event.offline.list', 'its result is not a list');
  checkRows('event.offline.list', result);
  return total ?? (result.length === 0 ? 0 : undefined);
}
