import type { Dispatcher } from 'undici';
import { ApiError, TransportError } from './errors.js';
import { mayHaveArrived, send, type HttpReply, type Timeouts } from './http.js';
import { LeakyBucket, type RateLimit } from './pacer.js';
import type { Redactor } from './redact.js';
import { retryDelay, type RetryPolicy, DEFAULT_RETRY } from './retry.js';
import type { TokenSource } from './session.js';

/** The success envelope: `result` plus list paging and timing. */
export interface Envelope<T> {
  result: T;
  next?: number;
  total?: number;
  time?: { operating_reset_at?: number; operating?: number };
}

export interface ClientOptions {
  /** portal origin, e.g. https://example.bitrix24.com */
  portal: string;
  tokens: TokenSource;
  dispatcher: Dispatcher;
  userAgent: string;
  timeouts: Timeouts;
  rateLimit: RateLimit | false;
  redactor: Redactor;
  retry?: RetryPolicy;
  trace?: (line: string) => void;
  /** User-visible waits (rate-limit back-off). */
  notice?: (message: string) => void;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface CallOptions {
  /** Safe to send again after a network failure or a server fault (reads, clears by id). */
  idempotent?: boolean;
  /**
   * Replaces the client's abort signal for this call. Work that must still finish after a first
   * Ctrl-C (confirming what a drain already handled) passes a signal that only a hard stop aborts.
   */
  signal?: AbortSignal;
  /** told of each failure the client rides out by itself, before it tries again (a caller may adapt to it) */
  onRetry?: (error: unknown) => void;
}

/**
 * REST client for `{portal}/rest/{method}.json`. JSON bodies (integers stay integers), `auth` as a
 * body parameter, branching on the envelope's `error` code. Knows nothing about the CLI.
 */
export class B24Client {
  private readonly bucket: LeakyBucket;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** operating_reset_at as each method's last reply gave it: the budget is per method (docs limits.md) */
  private readonly operatingResetAt = new Map<string, number>();
  private portalOrigin: string;
  private requests = 0;

  constructor(private readonly options: ClientOptions) {
    this.portalOrigin = options.portal.replace(/\/+$/, '');
    this.bucket = new LeakyBucket(options.rateLimit);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.sleep = options.sleep ?? defaultSleep;
  }

  get portal(): string {
    return this.portalOrigin;
  }

  /** Sends later calls to another origin (the OAuth server's `client_endpoint` for this app). */
  usePortal(origin: string): void {
    this.portalOrigin = origin;
  }

  /**
   * The access token the next call would send, refreshed first when it is about to expire: for a
   * handler that gets it with a forwarded event (`offline drain --forward-to --with-auth`).
   */
  accessToken(): Promise<string> {
    return this.options.tokens.accessToken();
  }

  /** HTTP requests sent so far (retries included). */
  get requestCount(): number {
    return this.requests;
  }

  /** Calls a method and returns the whole envelope. */
  async call<T = unknown>(method: string, params: Record<string, unknown> = {}, opts: CallOptions = {}): Promise<Envelope<T>> {
    let token = await this.options.tokens.accessToken();
    let renewed = false;
    const signal = opts.signal ?? this.options.signal;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.attempt<T>(method, params, token, signal);
      } catch (error) {
        if (!renewed && isExpiredToken(error)) {
          renewed = true;
          token = await this.options.tokens.renew(token);
          continue;
        }
        if (error instanceof ApiError && error.code === 'NO_AUTH_FOUND') await this.options.tokens.refused?.(token);
        const delay = retryDelay(error, attempt, Boolean(opts.idempotent), this.retry, this.operatingResetAt.get(method));
        if (delay === undefined) throw opts.idempotent ? error : outcomeUnknown(error, method);
        if (error instanceof ApiError && error.code === 'QUERY_LIMIT_EXCEEDED') this.bucket.saturate();
        opts.onRetry?.(error);
        if (delay >= 2000) this.options.notice?.(`${describeWait(error)}; retrying ${method} in ${Math.round(delay / 1000)}s`);
        await this.sleep(delay, signal);
      }
    }
  }

  /** Calls a method and returns only `result`. */
  async result<T = unknown>(method: string, params: Record<string, unknown> = {}, opts: CallOptions = {}): Promise<T> {
    return (await this.call<T>(method, params, opts)).result;
  }

  private async attempt<T>(method: string, params: Record<string, unknown>, token: string, signal: AbortSignal | undefined): Promise<Envelope<T>> {
    const wait = this.bucket.reserve();
    if (wait > 0) await this.sleep(wait, signal);
    const url = `${this.portalOrigin}/rest/${method}.json`;
    const body = JSON.stringify({ ...params, auth: token });
    const started = Date.now();
    if (this.options.trace) this.trace(`→ POST ${url} ${JSON.stringify(this.options.redactor.value(params))}`);
    this.requests += 1;
    const reply = await send(
      this.options.dispatcher,
      {
        method: 'POST',
        url,
        body,
        signal,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': this.options.userAgent },
      },
      this.options.timeouts,
    );
    if (this.options.trace) this.trace(`← ${reply.status} ${method} (${Date.now() - started} ms) ${this.options.redactor.text(reply.text.slice(0, 2000))}`);
    return this.parse<T>(method, reply);
  }

  private parse<T>(method: string, reply: HttpReply): Envelope<T> {
    let body: unknown;
    try {
      body = JSON.parse(reply.text);
    } catch {
      const type = reply.contentType.split(';')[0] || 'no content type';
      throw new TransportError('non-json', `${method}: the portal replied HTTP ${reply.status} with a non-JSON body (${type})`, {
        url: reply.url,
        status: reply.status,
      });
    }
    if (body && typeof body === 'object' && 'error' in body) throw toApiError(method, reply.status, body);
    if (!body || typeof body !== 'object' || !('result' in body)) {
      throw new TransportError('non-json', `${method}: the portal replied HTTP ${reply.status} without a result`, {
        url: reply.url,
        status: reply.status,
      });
    }
    const envelope = body as Envelope<T>;
    if (envelope.time?.operating_reset_at) this.operatingResetAt.set(method, envelope.time.operating_reset_at);
    return envelope;
  }

  private trace(line: string): void {
    this.options.trace?.(this.options.redactor.text(line));
  }
}

function toApiError(method: string, status: number, body: object): ApiError {
  const { error, error_description: description, argument } = body as Record<string, unknown>;
  return new ApiError({
    code: String(error),
    status,
    description: typeof description === 'string' ? description : '',
    method,
    ...(typeof argument === 'string' ? { argument } : {}),
  });
}

/** A write whose reply was lost is not repeated (it may have run): the error says so. */
function outcomeUnknown(error: unknown, method: string): unknown {
  if (!(error instanceof TransportError) || !mayHaveArrived(error)) return error;
  return new TransportError(error.kind, `${method}: ${error.message}; the portal may have carried it out`, {
    url: error.url,
    cause: error.cause,
    mayHaveRun: true,
    ...(error.status !== undefined ? { status: error.status } : {}),
  });
}

function isExpiredToken(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'expired_token' || error.code === 'invalid_token');
}

function describeWait(error: unknown): string {
  if (error instanceof ApiError) return error.meaning ?? error.code;
  return error instanceof Error ? error.message : String(error);
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The reason a signal was aborted with, as an Error (an abort without one is an AbortError). */
function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('aborted', 'AbortError');
}
