import type { B24Client, CallOptions } from './client.js';
import { ApiError } from './errors.js';

/** The portal runs at most 50 commands per batch; extras fail individually, so never send more. */
export const BATCH_LIMIT = 50;

export interface BatchCommand {
  key: string;
  method: string;
  params?: Record<string, unknown>;
}

/** A command's outcome; list methods add their `total` (from `result_total`). */
export type BatchOutcome<T = unknown> = { key: string; ok: true; result: T; total?: number | undefined } | { key: string; ok: false; error: ApiError };

interface BatchReply {
  result?: Record<string, unknown> | unknown[];
  result_error?: Record<string, { error?: unknown; error_description?: unknown }> | unknown[];
  result_total?: Record<string, unknown> | unknown[];
  result_time?: Record<string, { duration?: unknown }> | unknown[];
}

export interface BatchOptions extends CallOptions {
  halt?: boolean;
  /**
   * Parameters of the `batch` call itself. Sub-calls run under the outer call's authentication, so
   * auth-level parameters such as `auth_connector` take effect only here.
   */
  outer?: Record<string, unknown>;
}

/** One `batch` request: the outcomes, and how long the portal worked on the commands (when it says). */
export interface BatchReplyInfo<T> {
  outcomes: BatchOutcome<T>[];
  /** sum of the sub-calls' `result_time` durations, in milliseconds */
  workMs: number | undefined;
}

/**
 * Runs commands through `batch`, 50 per request (one rate-limit slot each), in order.
 * Sub-commands travel as query strings, so every value arrives as a string: do not rely on integer
 * parameters (such as a non-admin's `auth_type`) inside a batch.
 */
export async function runBatch<T = unknown>(client: B24Client, commands: BatchCommand[], options: BatchOptions = {}): Promise<BatchOutcome<T>[]> {
  const outcomes: BatchOutcome<T>[] = [];
  for (let start = 0; start < commands.length; start += BATCH_LIMIT) {
    const reply = await batchRequest<T>(client, commands.slice(start, start + BATCH_LIMIT), options);
    outcomes.push(...reply.outcomes);
    if (options.halt && outcomes.some((o) => !o.ok)) break;
  }
  return outcomes;
}

/** One `batch` request of at most 50 commands. */
export async function batchRequest<T = unknown>(client: B24Client, commands: BatchCommand[], options: BatchOptions = {}): Promise<BatchReplyInfo<T>> {
  if (commands.length > BATCH_LIMIT) throw new Error(`a batch runs at most ${BATCH_LIMIT} commands, not ${commands.length}`);
  const cmd: Record<string, string> = {};
  for (const c of commands) cmd[c.key] = `${c.method}?${encodeQuery(c.params ?? {})}`;
  const reply = await client.result<BatchReply>('batch', { ...options.outer, halt: options.halt ? 1 : 0, cmd }, options);
  return { outcomes: commands.map((c) => outcomeOf<T>(c, reply)), workMs: workOf(reply) };
}

/**
 * A query string as PHP reads it (`a[b][0]=1`), the same text `qs.stringify` writes with its defaults
 * (indices, RFC 3986 escaping, null as an empty value, undefined left out), built without an object
 * tree per value: confirming 1,000 ids is one string of 1,000 pairs.
 */
export function encodeQuery(params: Record<string, unknown>): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params)) appendPairs(pairs, escape(key), value);
  return pairs.join('&');
}

function appendPairs(pairs: string[], prefix: string, value: unknown): void {
  if (value === undefined) return;
  if (value === null) return void pairs.push(`${prefix}=`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) appendPairs(pairs, `${prefix}%5B${i}%5D`, value[i]);
    return;
  }
  if (value instanceof Date) return void pairs.push(`${prefix}=${escape(value.toISOString())}`);
  if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) appendPairs(pairs, `${prefix}%5B${escape(key)}%5D`, item);
    return;
  }
  if (typeof value === 'number' && Number.isInteger(value)) pairs.push(`${prefix}=${value}`);
  else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    pairs.push(`${prefix}=${escape(String(value))}`);
  }
}

/** RFC 3986 escaping: encodeURIComponent also leaves !'()* alone, which qs (and PHP's rawurlencode) escape. */
function escape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function workOf(reply: BatchReply): number | undefined {
  const times = Object.values(asMap(reply.result_time));
  if (times.length === 0) return undefined;
  let seconds = 0;
  for (const time of times) seconds += Number((time as { duration?: unknown } | undefined)?.duration) || 0;
  return seconds * 1000;
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
  const total = asMap(reply.result_total)[command.key];
  return { key: command.key, ok: true, result: results[command.key] as T, ...(typeof total === 'number' ? { total } : {}) };
}

/** An empty map arrives as `[]` instead of `{}`. */
function asMap(value: Record<string, unknown> | unknown[] | undefined): Record<string, unknown> {
  if (!value) return {};
  if (Array.isArray(value)) return Object.fromEntries(value.map((item, index) => [String(index), item]));
  return value;
}
