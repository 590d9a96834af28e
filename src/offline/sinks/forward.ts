import qs from 'qs';
import { Agent, request } from 'undici';
import { errorCode } from '../../api/http.js';
import { SinkStopped, type OfflineEvent, type Sink, type Verdict } from '../types.js';
import { guardMisconfiguration } from './guard.js';

/** Who the event comes from, as an online delivery's `auth[...]` would say. */
export interface PortalIdentity {
  /** portal origin, e.g. https://example.bitrix24.com */
  portal: string;
  memberId?: string | undefined;
  applicationToken?: string | undefined;
}

export interface ForwardSinkOptions {
  url: string;
  concurrency: number;
  timeoutMs: number;
  identity: PortalIdentity;
  userAgent: string;
  now?: () => number;
}

/**
 * POSTs each event to a handler URL the way Bitrix24 delivers online events, so an existing
 * handler can consume queued events unchanged. Any 2xx = handled; redirects are not followed. A handler
 * that cannot be connected to at all, or fails the same way from the start, stops the drain (the
 * events stay reserved).
 */
export function forwardSink(options: ForwardSinkOptions): Sink {
  const dispatcher = new Agent({ connections: options.concurrency, keepAliveTimeout: 10_000 });
  const sink: Sink = {
    concurrency: options.concurrency,
    handle: (event) => post(options, dispatcher, event),
    close: () => dispatcher.close(),
  };
  return guardMisconfiguration(sink, 'the URL looks wrong');
}

async function post(options: ForwardSinkOptions, dispatcher: Agent, event: OfflineEvent): Promise<Verdict> {
  const now = options.now ?? Date.now;
  try {
    const response = await request(options.url, {
      method: 'POST',
      dispatcher,
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': options.userAgent,
        // not part of Bitrix24's format: lets a handler de-duplicate redelivered events
        'x-b24-offline-id': String(event.ID),
        'x-b24-message-id': event.MESSAGE_ID,
      },
      body: deliveryBody(event, options.identity, Math.floor(now() / 1000)),
    });
    await response.body.dump();
    if (response.statusCode >= 200 && response.statusCode < 300) return { handled: true };
    return { handled: false, reason: `the handler answered HTTP ${response.statusCode}` };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return { handled: false, reason: `no answer within ${options.timeoutMs / 1000}s` };
    const code = errorCode(error);
    // an unreachable handler is not the event's fault: stop rather than flag the whole queue
    if (code && UNREACHABLE.has(code)) throw new SinkStopped(`the handler at ${new URL(options.url).host} is unreachable (${code}): nothing was flagged`);
    return { handled: false, reason: `cannot reach the handler: ${(error as Error).message}` };
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * The form body of an online delivery (`event`, `event_handler_id`, `data[...]`, `ts`, `auth[...]`),
 * with PHP bracket keys and PHP's scalar rendering (true → 1, false → 0, null left out). Queued
 * events have no handler registration, so `event_handler_id` is 0; `ts` is the time of sending.
 */
export function deliveryBody(event: OfflineEvent, identity: PortalIdentity, ts: number): string {
  const origin = identity.portal.replace(/\/+$/, '');
  const auth: Record<string, string | undefined> = {
    domain: new URL(origin).host,
    client_endpoint: `${origin}/rest/`,
    member_id: identity.memberId,
    application_token: identity.applicationToken,
  };
  const fields = { event: event.EVENT_NAME.toUpperCase(), event_handler_id: 0, data: event.EVENT_DATA, ts, auth };
  return qs.stringify(fields, {
    skipNulls: true,
    filter: (_prefix, value: unknown) => (typeof value === 'boolean' ? (value ? '1' : '0') : value),
  });
}
