import { z } from 'zod';
import { runBatch, type BatchCommand, type BatchOutcome } from './batch.js';
import type { B24Client } from './client.js';
import { ApiError } from './errors.js';

/** A row of `event.get`, with the portal's own field names. */
export const handlerRecordSchema = z
  .object({
    event: z.string(),
    handler: z.string().optional(),
    auth_type: z.union([z.string(), z.number()]).optional(),
    offline: z.coerce.number(),
    connector_id: z.string().optional(),
  })
  .loose();
export type HandlerRecord = z.infer<typeof handlerRecordSchema>;

export interface BindParams {
  event: string;
  handler?: string | undefined;
  authType?: number | undefined;
  offline?: boolean | undefined;
  connector?: string | undefined;
  options?: Record<string, unknown> | undefined;
}

/** `events`: bindable event codes. `full` = every scope; `scope` = one scope (even ungranted). */
export async function listEvents(client: B24Client, query: { scope?: string | undefined; full?: boolean | undefined } = {}): Promise<string[]> {
  const params: Record<string, unknown> = {};
  if (query.scope !== undefined) params.SCOPE = query.scope;
  else if (query.full) params.FULL = true;
  return z.array(z.string()).parse(await client.result('events', params, { idempotent: true }));
}

/** `event.get`: this application's handlers (all of them for an admin, own ones otherwise). */
export async function getHandlers(client: B24Client): Promise<HandlerRecord[]> {
  return z.array(handlerRecordSchema).parse(await client.result('event.get', {}, { idempotent: true }));
}

/** Wire parameters of `event.bind` / `event.unbind`; `auth_connector` only when configured. */
export function bindingParams(params: BindParams): Record<string, unknown> {
  const wire: Record<string, unknown> = { event: params.event };
  if (params.offline) wire.event_type = 'offline';
  else wire.handler = params.handler;
  if (!params.offline && params.authType !== undefined) wire.auth_type = params.authType;
  if (params.connector) wire.auth_connector = params.connector;
  if (params.options && Object.keys(params.options).length > 0) wire.options = params.options;
  return wire;
}

/** True for the portal's duplicate-handler refusal, which means "already bound". */
export function isAlreadyBound(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'ERROR_CORE' && /already binded|already bound/i.test(error.description);
}

/** `event.bind`; a duplicate is reported as `already-bound`, not thrown. */
export async function bindHandler(client: B24Client, params: BindParams): Promise<'bound' | 'already-bound'> {
  try {
    await client.result('event.bind', bindingParams(params));
    return 'bound';
  } catch (error) {
    if (isAlreadyBound(error)) return 'already-bound';
    throw error;
  }
}

/** `event.test`: the portal sends ONAPPTEST (with these parameters as `data[QUERY]`) to the application's own ONAPPTEST handlers. */
export async function testEvent(client: B24Client, query: Record<string, unknown> = {}): Promise<unknown> {
  return client.result('event.test', query);
}

/** `event.unbind`; returns how many handlers the portal removed (0 is not an error). */
export async function unbindHandler(client: B24Client, params: BindParams): Promise<number> {
  const { options: _ignored, ...rest } = params;
  // Not retried after a network failure: a repeat of an unbind that already ran would report 0.
  const result = await client.result<{ count?: unknown }>('event.unbind', bindingParams(rest));
  return Number(result?.count ?? 0);
}

/** Who is calling: a non-administrator's online bindings are always stored under their own user id. */
export interface Caller {
  admin: boolean | null;
  id: number | null;
}

/** One change of a bulk run: bind or unbind these parameters. */
export interface BindingChange {
  action: 'bind' | 'unbind';
  params: BindParams;
}

/** How one change went: bound / already bound, or how many an unbind removed; or the portal's refusal. */
export type ChangeOutcome = { ok: true; status: 'bound' | 'already-bound' } | { ok: true; status: 'unbound'; removed: number } | { ok: false; error: ApiError };

/**
 * Carries out binds and unbinds in the given order through `batch` (≤ 50 calls per request). The
 * policy every bulk caller shares:
 * - `auth_connector` is a property of the request, so each connector gets its own batches;
 * - requests are retried after a network failure: a repeated bind answers "already bound" and a
 *   repeated unbind removes 0, so the portal ends in the same state (a count may under-report);
 * - when no request got through at all, that error is thrown (nothing changed); once one did, a
 *   refused request is reported per change, so what was done is still reported.
 */
export async function changeBindings(client: B24Client, changes: BindingChange[]): Promise<ChangeOutcome[]> {
  const outcomes = new Array<ChangeOutcome>(changes.length);
  let firstFailure: Error | undefined;
  let anyThrough = false;
  for (const [connector, indexes] of byConnector(changes)) {
    const commands: BatchCommand[] = indexes.map((index, i) => commandOf(changes[index] as BindingChange, `c${i}`));
    const outer = connector ? { auth_connector: connector } : undefined;
    try {
      const replies = await runBatch<{ count?: unknown }>(client, commands, { idempotent: true, outer });
      anyThrough = true;
      indexes.forEach((index, i) => (outcomes[index] = outcomeOf(changes[index] as BindingChange, replies[i])));
    } catch (error) {
      const refusal = asApiError(error, commands[0]?.method ?? 'batch');
      firstFailure ??= error instanceof Error ? error : refusal;
      for (const index of indexes) outcomes[index] = { ok: false, error: refusal };
    }
  }
  if (!anyThrough && firstFailure !== undefined) throw firstFailure;
  return outcomes;
}

/** Binds many handlers (see `changeBindings` for the policy). */
export function bindMany(client: B24Client, bindings: BindParams[]): Promise<ChangeOutcome[]> {
  return changeBindings(
    client,
    bindings.map((params) => ({ action: 'bind', params })),
  );
}

/** Unbinds many handlers (see `changeBindings` for the policy). */
export function unbindMany(client: B24Client, bindings: BindParams[]): Promise<ChangeOutcome[]> {
  return changeBindings(
    client,
    bindings.map((params) => ({ action: 'unbind', params })),
  );
}

function commandOf(change: BindingChange, key: string): BatchCommand {
  if (change.action === 'bind') return { key, method: 'event.bind', params: bindingParams(change.params) };
  const { options: _ignored, ...rest } = change.params;
  return { key, method: 'event.unbind', params: bindingParams(rest) };
}

function outcomeOf(change: BindingChange, reply: BatchOutcome<{ count?: unknown }> | undefined): ChangeOutcome {
  if (!reply) return { ok: false, error: new ApiError({ code: 'NOT_APPLIED', status: 0, description: 'no reply for this command', method: 'batch' }) };
  if (!reply.ok) return isAlreadyBound(reply.error) && change.action === 'bind' ? { ok: true, status: 'already-bound' } : { ok: false, error: reply.error };
  if (change.action === 'bind') return { ok: true, status: 'bound' };
  return { ok: true, status: 'unbound', removed: Number(reply.result?.count ?? 0) };
}

function byConnector(changes: BindingChange[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  changes.forEach((change, index) => {
    const connector = change.params.connector ?? '';
    groups.set(connector, [...(groups.get(connector) ?? []), index]);
  });
  return groups;
}

/** A whole request's failure as the refusal of each of its changes (the outcome of a lost reply is unknown). */
function asApiError(error: unknown, method: string): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError({ code: 'NOT_APPLIED', status: 0, description: `${message} (outcome unknown)`, method });
}
