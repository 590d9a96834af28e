// event.offline.get / .list / .clear / .error (reference §5.6–5.9, §12.19–24): admin-only, OAuth-only,
// confined to the calling app's queue for the call's `auth_connector`.
import { argumentError, emptyArgument, wrongLicense } from '../errors.js';
import type { QueueRow } from '../offline-bucket.js';
import { GET_FIELDS, LIST_FIELDS, parseFilter, parseOrder } from '../offline-query.js';
import { intval, phpArrayValues, strval } from '../php.js';
import { isoDate } from '../time.js';
import { connectorOf, requireAdmin, requireOAuth, type CallContext, type MethodOutcome } from './context.js';

const LIST_PAGE = 50;

/**
 * event.offline.get: reserves (or, with `process_id`, re-reads) rows and, with the default clear=1,
 * deletes the whole batch once anything was returned — rows beyond `limit` included (§6.5).
 */
export function offlineGet(ctx: CallContext): MethodOutcome {
  const app = requireOAuth(ctx);
  requireAdmin(ctx);
  const { params, portal } = ctx;
  const clear = params.has('clear') ? intval(params.get('clear')) !== 0 : true;
  if (!clear && !portal.options.features.rest_offline_extended) {
    throw wrongLicense('extended offline events handling');
  }
  const limit = params.has('limit') ? intval(params.get('limit')) : 50;
  if (limit <= 0) throw argumentError('Value must be positive integer', 'LIMIT');
  const selection = {
    error: intval(params.get('error')) > 0 ? (1 as const) : (0 as const),
    conditions: parseFilter(params.get('filter'), GET_FIELDS),
    order: parseOrder(params.get('order'), GET_FIELDS, [{ field: 'TIMESTAMP_X', desc: false }]),
    limit,
  };
  const connector = connectorOf(ctx);
  const passed = params.has('process_id');
  let processId: string;
  let rows: QueueRow[];
  if (passed) {
    processId = strval(params.get('process_id')).trim();
    rows = portal.queue.read(app.id, connector, processId, selection);
  } else {
    ({ processId, rows } = portal.queue.reserve(app.id, connector, selection));
  }
  const events = rows.map(formatRow);
  if (clear && rows.length > 0) portal.queue.clear(app.id, connector, processId);
  return { result: { process_id: clear && !passed ? null : processId, events } };
}

/** event.offline.list: every row of the queue, 50 per page by `start`, without changing anything. */
export function offlineList(ctx: CallContext): MethodOutcome {
  const app = requireOAuth(ctx);
  requireAdmin(ctx);
  const conditions = parseFilter(ctx.params.get('filter'), LIST_FIELDS);
  const order = parseOrder(ctx.params.get('order'), LIST_FIELDS, [{ field: 'ID', desc: false }]);
  const rows = ctx.portal.queue.list(app.id, connectorOf(ctx), conditions, order);
  const requested = intval(ctx.params.get('start'));
  const start = Math.max(0, requested);
  const page = rows.slice(start, start + LIST_PAGE);
  const result = page.map((row) => ({ ...formatRow(row), PROCESS_ID: row.PROCESS_ID, ERROR: String(row.ERROR) }));
  // start=-1 is the general "skip the count" switch of list methods.
  if (requested === -1) return { result };
  const outcome: MethodOutcome = { result, total: rows.length };
  if (start + page.length < rows.length) outcome.next = start + LIST_PAGE;
  return outcome;
}

/**
 * event.offline.clear: deletes rows of one batch by message id, else by id, else all of them. As in
 * Event::eventOfflineClear, a `message_id` that is present at all takes the message-id branch and
 * `id` is then ignored, even when the list is empty (which deletes the whole batch). The docs say
 * the opposite ("message_id … ignored if id is specified"); the sandbox follows the server code.
 */
export function offlineClear(ctx: CallContext): MethodOutcome {
  const app = requireOAuth(ctx);
  requireAdmin(ctx);
  const { params } = ctx;
  if (!params.has('process_id')) throw emptyArgument('PROCESS_ID');
  const processId = strval(params.get('process_id'));
  const messageIds = params.has('message_id') ? messageIdList(params.get('message_id')) : undefined;
  const ids = messageIds === undefined && params.has('id') ? idList(params.get('id')) : undefined;
  const only = messageIds?.length ? { messageIds } : ids?.length ? { ids } : undefined;
  ctx.portal.queue.clear(app.id, connectorOf(ctx), processId, only);
  return { result: true };
}

/** event.offline.error: releases the named rows of a batch as unreserved ERROR=1 rows (§12.22). */
export function offlineError(ctx: CallContext): MethodOutcome {
  const app = requireOAuth(ctx);
  requireAdmin(ctx);
  const { params } = ctx;
  if (!params.has('process_id')) throw emptyArgument('PROCESS_ID');
  const values = phpArrayValues(params.get('message_id'));
  if (!values) throw argumentError('Value must be array of MESSAGE_ID values', 'message_id');
  ctx.portal.queue.markError(app.id, connectorOf(ctx), strval(params.get('process_id')), values.map(strval));
  return { result: true };
}

function formatRow(row: QueueRow): Record<string, unknown> {
  return {
    ID: String(row.ID),
    TIMESTAMP_X: isoDate(row.TIMESTAMP_X),
    EVENT_NAME: row.EVENT_NAME,
    EVENT_DATA: emptyAsFalse(row.EVENT_DATA),
    EVENT_ADDITIONAL: { user_id: String(row.EVENT_ADDITIONAL.user_id) },
    MESSAGE_ID: row.MESSAGE_ID,
  };
}

/**
 * Rows whose data is empty come back with `EVENT_DATA: false` (docs event-offline-get/-list examples;
 * bitrix24/b24phpsdk OfflineEventItemResult: "the API returns false when empty and an array
 * otherwise"). In PHP an empty JSON object, an empty list and null are all "empty".
 */
function emptyAsFalse(data: unknown): unknown {
  if (data === null || data === undefined || data === false) return false;
  if (typeof data === 'object' && Object.keys(data).length === 0) return false;
  return data;
}

// The server reports a bad element under the misspelt argument name 'messsage_id'.
function messageIdList(raw: unknown): string[] {
  const values = phpArrayValues(raw);
  if (!values) throw argumentError('Value must be array of MESSAGE_ID values', 'message_id');
  return values.map((value) => {
    const id = strval(value).trim();
    if (id.length !== 32) throw argumentError('Value must be array of MESSAGE_ID values', 'messsage_id');
    return id;
  });
}

function idList(raw: unknown): number[] {
  const values = phpArrayValues(raw);
  const ids = values?.map((value) => (isIntegerLike(value) ? intval(value) : 0));
  if (!ids || ids.some((id) => id < 1)) throw argumentError('Value must be array of integers', 'id');
  return ids;
}

function isIntegerLike(value: unknown): boolean {
  return Number.isInteger(value) || (typeof value === 'string' && /^\s*\d+\s*$/.test(value));
}
