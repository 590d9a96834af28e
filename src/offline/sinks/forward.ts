import { Agent, request } from '../../api/undici.js';
import { errorCode } from '../../api/http.js';
import { DEFAULT_OAUTH_SERVER } from '../../config/schema.js';
import { deliveryBody as encodeDelivery, type DeliveryTokens } from '../../wire/delivery.js';
import { SinkStopped, type OfflineEvent, type Sink, type Verdict } from '../types.js';
import { guardMisconfiguration } from './guard.js';

/** Who the event comes from, as an online delivery's `auth[...]` would say. */
export interface PortalIdentity {
  /** portal origin, e.g. https://example.bitrix24.com */
  portal: string;
  /** the OAuth server's origin, e.g. https://oauth.bitrix.info (its `/rest/` is `auth[server_endpoint]`) */
  oauthServer?: string | undefined;
  memberId?: string | undefined;
  applicationToken?: string | undefined;
}

/** `--with-auth`: the user tokens a real online delivery carries, fetched fresh for each event. */
export type HandlerTokens = (ts: number) => Promise<DeliveryTokens>;

export interface ForwardSinkOptions {
  url: string;
  concurrency: number;
  timeoutMs: number;
  identity: PortalIdentity;
  /** without it the body has the outgoing-webhook shape (portal identity, no tokens) */
  tokens?: HandlerTokens | undefined;
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
  const ts = Math.floor(now() / 1000);
  const body = deliveryBody(event, options.identity, ts, await options.tokens?.(ts));
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
      body,
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
 * PHP-encoded with a real delivery's key order (src/wire). Queued events have no handler
 * registration, so `event_handler_id` is 0; `ts` is the time of sending. Without `tokens` the `auth`
 * block is an outgoing webhook's (portal identity and application token only).
 */
export function deliveryBody(event: OfflineEvent, identity: PortalIdentity, ts: number, tokens?: DeliveryTokens): string {
  const origin = identity.portal.replace(/\/+$/, '');
  const oauth = (identity.oauthServer ?? DEFAULT_OAUTH_SERVER).replace(/\/+$/, '');
  return encodeDelivery({
    event: event.EVENT_NAME,
    eventHandlerId: 0,
    data: event.EVENT_DATA,
    ts,
    identity: {
      domain: new URL(origin).host,
      clientEndpoint: `${origin}/rest/`,
      serverEndpoint: `${oauth}/rest/`,
      memberId: identity.memberId,
      applicationToken: identity.applicationToken,
    },
    tokens,
  });
}
