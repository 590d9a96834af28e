import { z } from 'zod';
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

