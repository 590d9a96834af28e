import type { Dispatcher } from 'undici';
import { Agent, request } from '../api/undici.js';

/** What a handler answered to one delivery. */
export interface HandlerAnswer {
  status: number;
  ms: number;
  /** the first line of the body (200 characters at most), for reports */
  head: string;
}

/**
 * POSTs a form-encoded delivery to a handler the way a portal does: no redirects followed, a
 * timeout, the body read only as far as its first line. Network failures are thrown (undici's error,
 * with its `code`), so callers can tell "down" from "refused".
 */
export async function postDelivery(
  url: string,
  body: string,
  options: { timeoutMs: number; userAgent: string; signal?: AbortSignal; dispatcher?: Dispatcher },
): Promise<HandlerAnswer> {
  const started = performance.now();
  const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]) : AbortSignal.timeout(options.timeoutMs);
  // one delivery (trigger) gets a connection of its own; a stream of them (listen) passes its pool
  const dispatcher = options.dispatcher ?? new Agent();
  try {
    const response = await request(url, {
      method: 'POST',
      dispatcher,
      signal,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': options.userAgent },
      body,
    });
    const text = await response.body.text();
    return { status: response.statusCode, ms: Math.round(performance.now() - started), head: firstLine(text) };
  } finally {
    if (!options.dispatcher) await dispatcher.close();
  }
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
