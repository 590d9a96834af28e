import { ApiError, TransportError } from '../api/errors.js';
import { isQueueMethod } from '../api/offline.js';

/** Attempts per step without --follow (the client has already retried what it safely could). */
const ATTEMPTS = 4;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;

export interface Retry {
  delayMs: number;
  reason: string;
  /** the request may have reached the portal (a reservation may exist that we never saw) */
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
  const rate = error instanceof ApiError && error.category === 'rate';
  return {
    delayMs: Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1)),
    reason: error instanceof ApiError ? `${error.method}: ${error.meaning ?? error.code}` : (error as Error).message,
    ambiguous: !rate,
  };
}

/** Signs that a request asked too much of the portal: a timeout, a server fault, a work-limit refusal. */
export function heavy(error: unknown): boolean {
  if (error instanceof TransportError) return error.kind === 'timeout' || (error.status ?? 0) >= 500;
  return error instanceof ApiError && (error.code === 'OPERATION_TIME_LIMIT' || error.status >= 500 || error.category === 'transient');
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
