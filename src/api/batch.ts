import qs from 'qs';
import type { B24Client, CallOptions } from './client.js';
import { ApiError } from './errors.js';

/** The portal runs at most 50 commands per batch; extras fail individually, so never send more. */
export const BATCH_LIMIT = 50;

export interface BatchCommand {
  key: string;
  method: string;
  params?: Record<string, unknown>;
}

export type BatchOutcome<T = unknown> = { key: string; ok: true; result: T } | { key: string; ok: false; error: ApiError };

interface BatchReply {
  result?: Record<string, unknown> | unknown[];
  result_error?: Record<string, { error?: unknown; error_description?: unknown }> | unknown[];
}

export interface BatchOptions extends CallOptions {
  halt?: boolean;
  /**
   * Parameters of the `batch` call itself. Sub-calls run under the outer call's authentication, so
   * auth-level parameters such as `auth_connector` take effect only here.
   */
  outer?: Record<string, unknown>;
}

/**
 * Runs commands through `batch`, 50 per request (one rate-limit slot each), in order.
 * Sub-commands travel as query strings, so every value arrives as a string: do not rely on integer
 * parameters (such as a non-admin's `auth_type`) inside a batch.
 */
export async function runBatch<T = unknown>(client: B24Client, commands: BatchCommand[], options: BatchOptions = {}): Promise<BatchOutcome<T>[]> {
  const outcomes: BatchOutcome<T>[] = [];
  for (let start = 0; start < commands.length; start += BATCH_LIMIT) {
    const chunk = commands.slice(start, start + BATCH_LIMIT);
    const cmd = Object.fromEntries(chunk.map((c) => [c.key, `${c.method}?${qs.stringify(c.params ?? {})}`]));
    const reply = await client.result<BatchReply>('batch', { ...options.outer, halt: options.halt ? 1 : 0, cmd }, options);
    outcomes.push(...chunk.map((c) => outcomeOf<T>(c, reply)));
    if (options.halt && outcomes.some((o) => !o.ok)) break;
  }
  return outcomes;
}

function outcomeOf<T>(command: BatchCommand, reply: BatchReply): BatchOutcome<T> {
  const errors = asMap(reply.result_error);
  const results = asMap(reply.result);
  const failure = errors[command.key] as { error?: unknown; error_description?: unknown } | undefined;
  if (failure) {
    return {
      key: command.key,
      ok: false,
      error: new ApiError({
        code: typeof failure.error === 'string' ? failure.error : 'ERROR',
        status: 200,
        description: typeof failure.error_description === 'string' ? failure.error_description : '',
        method: command.method,
      }),
    };
  }
  if (!(command.key in results)) {
    // halt=1 stops after the first failure; later commands never ran.
    return {
      key: command.key,
      ok: false,
      error: new ApiError({ code: 'NOT_RUN', status: 200, description: 'not run: the batch stopped earlier', method: command.method }),
    };
  }
  return { key: command.key, ok: true, result: results[command.key] as T };
}

/** An empty map arrives as `[]` instead of `{}`. */
function asMap(value: Record<string, unknown> | unknown[] | undefined): Record<string, unknown> {
  if (!value) return {};
  if (Array.isArray(value)) return Object.fromEntries(value.map((item, index) => [String(index), item]));
  return value;
}
