import { errorCode } from '../../api/net-codes.js';
import { postDelivery, type HandlerAnswer } from '../../delivery/post.js';
import { TOKENLESS_EVENTS } from '../../wire/delivery.js';
import { waitFor } from '../recovery.js';
import { HANDLED, SinkStopped, type OfflineEvent, type Sink, type Verdict } from '../types.js';
import { deliveryBody, type HandlerTokens, type PortalIdentity } from './forward.js';

/** How one delivery of one event to one handler went. */
export interface DeliveryReport {
  event: OfflineEvent;
  url: string;
  ok: boolean;
  /** the handler's last answer; absent when it could not be reached */
  answer?: HandlerAnswer | undefined;
  /** why it could not be reached (ECONNREFUSED, no answer in time) */
  error?: string | undefined;
  /** POSTs sent, retries included */
  attempts: number;
}

export interface ListenerSinkOptions {
  /** the handler URLs an event goes to (one per manifest route; usually one) */
  routes(event: OfflineEvent): string[];
  identity: PortalIdentity;
  /** the user tokens of an app delivery; without them, the outgoing-webhook shape */
  tokens?: HandlerTokens | undefined;
  timeoutMs: number;
  userAgent: string;
  /** retries of a handler that is down (refused, reset, 502/503/504) */
  retries: number;
  backoffMs(retry: number): number;
  /** a stop: no more retries (the event stays unconfirmed) */
  signal: AbortSignal;
  now(): number;
  delivered(report: DeliveryReport): void;
  retrying?(url: string, reason: string, delayMs: number, retry: number): void;
}

/** A handler that is not (yet) listening, or a dev proxy in front of one that is restarting. */
const DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'EHOSTUNREACH', 'EAI_AGAIN']);
const DOWN_STATUSES = new Set([502, 503, 504]);

/**
 * Delivers each event to its local handler(s) exactly as a portal's online delivery (form body, key
 * order, `auth` block), one at a time in queue order. A handler that is down or restarting (nodemon)
 * is retried with back-off; an event counts as handled only when every handler answered 2xx.
 */
export function listenerSink(options: ListenerSinkOptions): Sink {
  return {
    concurrency: 1,
    async handle(event) {
      const urls = options.routes(event);
      if (urls.length === 0) {
        const error = 'no handler is routed for this event';
        options.delivered({ event, url: '', ok: false, error, attempts: 0 });
        return { handled: false, reason: error };
      }
      const failures: string[] = [];
      for (const url of urls) {
        const report = await deliver(options, event, url);
        options.delivered(report);
        if (!report.ok) failures.push(report.error ?? `the handler at ${url} answered HTTP ${report.answer?.status}`);
      }
      return failures.length === 0 ? HANDLED : ({ handled: false, reason: failures.join('; ') } satisfies Verdict);
    },
    close: () => Promise.resolve(),
  };
}

async function deliver(options: ListenerSinkOptions, event: OfflineEvent, url: string): Promise<DeliveryReport> {
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await postOnce(options, event, url);
    const ok = outcome.answer !== undefined && outcome.answer.status >= 200 && outcome.answer.status < 300;
    const down = outcome.down ?? DOWN_STATUSES.has(outcome.answer?.status ?? 0);
    if (ok || !down || attempt > options.retries) {
      const error = outcome.error && attempt > 1 ? `${outcome.error} after ${attempt} attempts` : outcome.error;
      return { event, url, ok, answer: outcome.answer, error, attempts: attempt };
    }
    const delay = options.backoffMs(attempt);
    options.retrying?.(url, outcome.code ?? `HTTP ${outcome.answer?.status}`, delay, attempt);
    if (!(await waitFor(delay, options.signal))) throw new SinkStopped(`stopped while ${url} was down: the event stays unconfirmed`);
  }
}

interface Attempt {
  answer?: HandlerAnswer;
  /** why it was not answered, and the network code (ECONNREFUSED) behind it */
  error?: string;
  code?: string;
  down?: boolean;
}

async function postOnce(options: ListenerSinkOptions, event: OfflineEvent, url: string): Promise<Attempt> {
  const ts = Math.floor(options.now() / 1000);
  const body = deliveryBody({ ...event, EVENT_DATA: dataOf(event) }, options.identity, ts, await tokensFor(options, event, ts));
  try {
    return { answer: await postDelivery(url, body, { timeoutMs: options.timeoutMs, userAgent: options.userAgent }) };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return { error: `no answer within ${options.timeoutMs / 1000}s`, down: false };
    const code = errorCode(error) ?? (error as Error).message;
    return { error: `cannot reach the handler (${code})`, code, down: DOWN_CODES.has(code) };
  }
}

async function tokensFor(options: ListenerSinkOptions, event: OfflineEvent, ts: number) {
  if (!options.tokens || TOKENLESS_EVENTS.has(event.EVENT_NAME.toUpperCase())) return undefined;
  try {
    return await options.tokens(ts);
  } catch (error) {
    // not the event's fault: stop rather than flag it
    throw new SinkStopped(`cannot get the profile's access token for the delivery: ${(error as Error).message}`);
  }
}

/** Queued records without data carry `false` (the portal's empty EVENT_DATA); a delivery then has no `data`. */
function dataOf(event: OfflineEvent): unknown {
  return event.EVENT_DATA === false ? undefined : event.EVENT_DATA;
}

/** What a listener without a target prints per event: no tokens, ever. */
export function eventRecord(event: OfflineEvent, now: () => number): Record<string, unknown> {
  const at = typeof event.TIMESTAMP_X === 'string' ? Date.parse(event.TIMESTAMP_X) : NaN;
  return {
    event: event.EVENT_NAME,
    data: dataOf(event) ?? null,
    ts: Math.floor((Number.isNaN(at) ? now() : at) / 1000),
    id: event.ID,
    message_id: event.MESSAGE_ID,
  };
}

/**
 * One JSON line per event on a stream (`write` resolves once it is handed to the OS); a failed write
 * means the reader is gone: the sink stops, the event stays unconfirmed.
 */
export function recordSink(write: (line: string) => Promise<void>, now: () => number, written: (event: OfflineEvent) => void): Sink {
  return {
    concurrency: 1,
    async handle(event) {
      try {
        await write(`${JSON.stringify(eventRecord(event, now))}\n`);
      } catch (error) {
        throw new SinkStopped(`stdout was closed (${errorCode(error) ?? (error as Error).message})`);
      }
      written(event);
      return HANDLED;
    },
    close: () => Promise.resolve(),
  };
}
