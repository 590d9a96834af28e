import { ApiError, TransportError } from '../api/errors.js';
import { isQueueMethod } from '../api/offline.js';

/** Attempts per step without --follow (the client has already retried what it safely could). */
const ATTEMPTS = 4;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;

export interface Retry {
  delayMs: number;
  reason: string;
  /** the request left the machine and its reply was lost: a reservation may exist that we never saw */
  ambiguous: boolean;
}

/**
 * Whether a failed step is worth repeating: network drops, portal faults and rate refusals are;
 * refusals of the request itself (auth, arguments, plan) are not. With `follow` there is no cap.
 */
export function recoverable(error: unknown, attempt: number, follow: boolean): Retry | undefined {
  const transport = error instanceof TransportError && error.kind !== 'redirect';
  const apiTransient = error instanceof ApiError && (error.category === 'transient' || error.category === 'rate' || settleFault(error));
  if (!transport && !apiTransient) return undefined;
  if (!follow && attempt >= ATTEMPTS) return undefined;
  return {
    delayMs: Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1)),
    reason: error instanceof ApiError ? `${error.method}: ${error.meaning ?? error.code}` : (error as Error).message,
    ambiguous: mayHaveReached(error),
  };
}

/**
 * Whether a failed request may have been carried out: a refused connection or an unknown host never
 * left the machine (the transport says so with `mayHaveRun`); a lost, cut or unreadable reply (HTTP
 * 5xx pages, an oversized body) came after the portal had the request. A rate refusal ran nothing.
 */
function mayHaveReached(error: unknown): boolean {
  if (error instanceof TransportError) return error.mayHaveRun || error.kind === 'non-json' || error.kind === 'oversized';
  return !(error instanceof ApiError && error.category === 'rate');
}

/** Signs that a request asked too much of the portal: a timeout, a server fault, a work-limit refusal. */
export function heavy(error: unknown): boolean {
  if (error instanceof TransportError) return error.kind === 'timeout' || (error.status ?? 0) >= 500;
  if (!(error instanceof ApiError)) return false;
  // QUERY_LIMIT_EXCEEDED (a 503) says "too many requests", not "too much in one": pacing, not smaller requests
  if (error.category === 'rate') return error.code === 'OPERATION_TIME_LIMIT';
  return error.status >= 500 || error.category === 'transient';
}

/** Sleeps; resolves false when the signal aborts first. */
export function waitFor(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Errors of batch sub-calls arrive without their HTTP status, so a server fault ("SQL query error")
 * of an offline method looks final; for the queue methods, which have no ERROR_CORE of their own,
 * it is a fault worth retrying.
 */
function settleFault(error: ApiError): boolean {
  return isQueueMethod(error.method) && ['ERROR_CORE', 'INTERNAL_SERVER_ERROR', 'ERROR_UNEXPECTED_ANSWER'].includes(error.code);
}
