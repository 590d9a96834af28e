import type { BatchCommand } from './batch.js';
import type { B24Client, CallOptions, Envelope } from './client.js';
import { checkRows, malformed, parseOfflinePage, type OfflinePage, type OfflineRow } from './offline-records.js';

export { listTotal, parseOfflinePage } from './offline-records.js';
export type { OfflineEvent, OfflinePage, OfflineRow } from './offline-records.js';

/**
 * The offline queue (`event.offline.*`). Every function that sends a `process_id` checks it first:
 * an empty or whitespace-only id makes the portal act on every unreserved record of the queue
 * (delete, flag, or read-and-delete), so the only path that sends one is `clearEveryUnreserved`.
 */

export type Scalar = string | number;
export interface GetQuery {
  limit: number;
  /** true: the portal deletes what it returns (the only mode without rest_offline_extended) */
  clear: boolean;
  /** re-read a batch reserved earlier instead of reserving a new one */
  processId?: string | undefined;
  /** error-flagged records instead of ordinary ones */
  error?: boolean | undefined;
  filter?: Record<string, Scalar> | undefined;
  order?: Record<string, 'ASC' | 'DESC'> | undefined;
}

/** Which records of a batch `event.offline.clear` deletes; the whole batch only when asked by name. */
export type ClearTarget = { ids: Scalar[] } | { messageIds: string[] } | { wholeBatch: true };

/** Refuses an empty or whitespace-only process id (the portal would act on the whole queue). */
export function checkProcessId(processId: string | null | undefined): string {
  if (typeof processId !== 'string' || processId.trim() === '') {
    throw new Error('refusing to send an empty process_id: the portal would act on every unreserved record');
  }
  return processId.trim();
}

/** Wire parameters of `event.offline.get`; `clear` is always explicit (the portal's default deletes). */
export function getParams(query: GetQuery): Record<string, unknown> {
  if (!Number.isInteger(query.limit) || query.limit < 1) throw new Error(`invalid limit ${query.limit}`);
  const wire: Record<string, unknown> = { limit: query.limit, clear: query.clear ? 1 : 0 };
  if (query.processId !== undefined) wire.process_id = checkProcessId(query.processId);
  if (query.error) wire.error = 1;
  if (query.filter && Object.keys(query.filter).length > 0) wire.filter = query.filter;
  if (query.order) wire.order = query.order;
  return wire;
}

/** Wire parameters of `event.offline.clear` for one reserved batch. */
export function clearParams(processId: string, target: ClearTarget): Record<string, unknown> {
  const wire: Record<string, unknown> = { process_id: checkProcessId(processId) };
  if ('wholeBatch' in target) return wire;
  // An empty list would delete the whole batch, not nothing.
  const list = 'ids' in target ? target.ids : target.messageIds;
  if (list.length === 0) throw new Error('refusing to clear with an empty id list: the portal would delete the whole batch');
  if ('ids' in target) wire.id = target.ids;
  else wire.message_id = target.messageIds;
  return wire;
}

/** Wire parameters of `event.offline.error`. */
export function errorParams(processId: string, messageIds: string[]): Record<string, unknown> {
  if (messageIds.length === 0) throw new Error('event.offline.error needs at least one message id');
  return { process_id: checkProcessId(processId), message_id: messageIds };
}

/** Batch commands of the queue methods, for callers that settle and read in one request. */
export const queueCommands = {
  get: (key: string, query: GetQuery, connector: string | undefined): BatchCommand => ({
    key,
    method: 'event.offline.get',
    params: { ...getParams(query), ...connectorParams(connector) },
  }),
  clear: (key: string, processId: string, target: ClearTarget): BatchCommand => ({
    key,
    method: 'event.offline.clear',
    params: clearParams(processId, target),
  }),
  error: (key: string, processId: string, messageIds: string[]): BatchCommand => ({
    key,
    method: 'event.offline.error',
    params: errorParams(processId, messageIds),
  }),
  list: (key: string, query: ListQuery): BatchCommand => ({ key, method: 'event.offline.list', params: listParams(query) }),
};

/** Whether a failed call was one of the offline-queue methods (`event.offline.*`). */
export function isQueueMethod(method: string): boolean {
  return method.startsWith('event.offline.');
}

/** Whether a failed call was the queue read (`event.offline.get`). */
export function isQueueRead(method: string): boolean {
  return method === 'event.offline.get';
}

/** `auth_connector` only when configured: on some plans even an empty value is refused. */
export function connectorParams(connector: string | undefined): Record<string, unknown> {
  return connector ? { auth_connector: connector } : {};
}

/** `event.offline.get`. With `clear: false` the records stay reserved under the returned process id. */
export async function getOfflineEvents(client: B24Client, query: GetQuery, connector?: string, opts: CallOptions = {}): Promise<OfflinePage> {
  // Only a re-read is safe to repeat: a fresh reservation sent twice reserves two batches.
  const idempotent = query.processId !== undefined && !query.clear;
  const envelope = await client.call('event.offline.get', { ...getParams(query), ...connectorParams(connector) }, { idempotent, ...opts });
  const duration = (envelope.time as { duration?: unknown } | undefined)?.duration;
  return { ...parseOfflinePage(envelope.result), workMs: typeof duration === 'number' ? duration * 1000 : undefined };
}

/** `event.offline.clear` within one batch (deleting by id is safe to repeat). */
export async function clearOfflineEvents(client: B24Client, processId: string, target: ClearTarget, connector?: string, opts: CallOptions = {}): Promise<void> {
  await client.result('event.offline.clear', { ...clearParams(processId, target), ...connectorParams(connector) }, { idempotent: true, ...opts });
}

/**
 * `event.offline.clear` with an empty `process_id`: the portal deletes every unreserved record of
 * the queue, error-flagged ones included. Callers must have confirmed this with the user.
 */
export async function clearEveryUnreserved(client: B24Client, connector?: string): Promise<void> {
  await client.result('event.offline.clear', { process_id: '', ...connectorParams(connector) });
}

/** `event.offline.error`: the batch's named records become unreserved, error-flagged records. */
export async function markOfflineErrors(client: B24Client, processId: string, messageIds: string[], connector?: string, opts: CallOptions = {}): Promise<void> {
  await client.result('event.offline.error', { ...errorParams(processId, messageIds), ...connectorParams(connector) }, { idempotent: true, ...opts });
}

export interface ListQuery {
  filter?: Record<string, Scalar> | undefined;
  order?: Record<string, 'ASC' | 'DESC'> | undefined;
  start?: number | undefined;
}

/** One page (50 rows) of `event.offline.list`; `next` and `total` come from the envelope. */
export async function listOfflinePage(client: B24Client, query: ListQuery, connector?: string): Promise<Envelope<OfflineRow[]>> {
  const wire = { ...listParams(query), ...connectorParams(connector) };
  const envelope = await client.call<OfflineRow[]>('event.offline.list', wire, { idempotent: true });
  if (!Array.isArray(envelope.result)) throw malformed('event.offline.list', 'its result is not a list');
  checkRows('event.offline.list', envelope.result);
  return envelope;
}

function listParams(query: ListQuery): Record<string, unknown> {
  const wire: Record<string, unknown> = { start: query.start ?? 0 };
  if (query.filter && Object.keys(query.filter).length > 0) wire.filter = query.filter;
  if (query.order) wire.order = query.order;
  return wire;
}

/**
 * Every row of `event.offline.list`, page after page, without holding more than one page. In ID
 * order it pages by `>ID` rather than by offset: a queue that changes between pages would make
 * offsets skip rows.
 */
export async function* listOfflineRows(client: B24Client, query: ListQuery, connector?: string): AsyncGenerator<OfflineRow[], void> {
  const byId = query.start === undefined && (!query.order || (Object.keys(query.order).length === 1 && String(query.order.ID).toUpperCase() === 'ASC'));
  if (byId) return yield* listById(client, query, connector);
  let start: number | undefined = query.start ?? 0;
  while (start !== undefined) {
    const page = await listOfflinePage(client, { ...query, start }, connector);
    if (page.result.length > 0) yield page.result;
    start = page.result.length > 0 && typeof page.next === 'number' ? page.next : undefined;
  }
}

async function* listById(client: B24Client, query: ListQuery, connector?: string): AsyncGenerator<OfflineRow[], void> {
  let after = 0;
  for (;;) {
    const filter = { ...query.filter, ...(after > 0 ? { '>ID': after } : {}) };
    const page = await listOfflinePage(client, { ...query, filter, order: { ID: 'ASC' }, start: 0 }, connector);
    const last = page.result.at(-1);
    if (!last) return;
    yield page.result;
    if (typeof page.next !== 'number') return;
    after = Number(last.ID);
  }
}
