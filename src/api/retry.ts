import { ApiError, TransportError } from './errors.js';

export interface RetryPolicy {
  /** attempts for rate-limit refusals (the portal did not run the call, so any call may repeat) */
  rateAttempts: number;
  /** attempts for network failures and server faults, idempotent calls only */
  transientAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

const OPERATION_WAIT_CAP_MS = 10_000;

export const DEFAULT_RETRY: RetryPolicy = { rateAttempts: 6, transientAttempts: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * How long to wait before attempt `attempt + 1`, or undefined when the error is final. Bounded:
 * exponential back-off capped at `maxDelayMs`, and a fixed number of attempts per kind.
 */
export function retryDelay(
  error: unknown,
  attempt: number,
  idempotent: boolean,
  policy: RetryPolicy,
  operatingResetAt: number | undefined,
): number | undefined {
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  if (error instanceof ApiError) {
    if (error.code === 'QUERY_LIMIT_EXCEEDED') return attempt < policy.rateAttempts ? backoff : undefined;
    if (error.code === 'OPERATION_TIME_LIMIT') {
      // The block lifts as the method's 10-minute window rolls on; wait a little, never minutes.
      if (attempt >= 3) return undefined;
      const untilReset = operatingResetAt ? operatingResetAt * 1000 - Date.now() : 0;
      return Math.min(OPERATION_WAIT_CAP_MS, Math.max(backoff, untilReset));
    }
    if (error.category === 'transient' && idempotent) return attempt < policy.transientAttempts ? backoff : undefined;
    return undefined;
  }
  if (error instanceof TransportError && idempotent && error.kind !== 'redirect' && error.kind !== 'oversized') {
    const serverFault = error.status === undefined || error.status >= 500;
    return serverFault && attempt < policy.transientAttempts ? backoff : undefined;
  }
  return undefined;
}
