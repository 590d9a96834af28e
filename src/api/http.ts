import { Agent, request, type Dispatcher } from 'undici';
import { TransportError } from './errors.js';
import { isLoopbackHost } from './hosts.js';

export interface Timeouts {
  connectMs: number;
  /** whole request, headers and body */
  totalMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, totalMs: 65_000 };

export interface HttpReply {
  status: number;
  contentType: string;
  text: string;
  url: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** One keep-alive connection pool per process; closed by the CLI when it is done. */
export function createDispatcher(timeouts: Timeouts): Agent {
  return new Agent({
    connect: { timeout: timeouts.connectMs },
    keepAliveTimeout: 10_000,
    headersTimeout: timeouts.totalMs,
    bodyTimeout: timeouts.totalMs,
  });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 3;

/**
 * Sends one request. A renamed portal answers 302; the request is re-sent to the new address with
 * the same method and body rather than silently turned into a GET.
 */
export async function send(
  dispatcher: Dispatcher,
  req: HttpRequest,
  timeouts: Timeouts,
  onRedirect?: (from: string, to: string) => void,
  maxRedirects = MAX_REDIRECTS,
): Promise<HttpReply> {
  let url = req.url;
  for (let hop = 0; ; hop += 1) {
    const reply = await sendOnce(dispatcher, { ...req, url }, timeouts);
    const location = reply.location;
    if (!REDIRECTS.has(reply.status) || !location) return reply;
    if (hop >= maxRedirects) {
      const what = maxRedirects === 0 ? 'an unexpected redirect' : 'too many redirects';
      throw new TransportError('redirect', `${what} from ${new URL(url).host} (HTTP ${reply.status})`, { url, status: reply.status });
    }
    const next = new URL(location, url);
    // The body carries the access token: never let a redirect downgrade it to plain http.
    if (new URL(url).protocol === 'https:' && next.protocol !== 'https:' && !isLoopbackHost(next.hostname)) {
      throw new TransportError('redirect', `refusing to follow a redirect from https to ${next.protocol}//${next.host}`, { url, status: reply.status });
    }
    onRedirect?.(url, next.toString());
    url = next.toString();
  }
}

async function sendOnce(dispatcher: Dispatcher, req: HttpRequest, timeouts: Timeouts): Promise<HttpReply & { location: string | undefined }> {
  const timeout = AbortSignal.timeout(timeouts.totalMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  try {
    const res = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      dispatcher,
      signal,
    });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      contentType: headerValue(res.headers['content-type']),
      location: headerValue(res.headers.location) || undefined,
      text,
      url: req.url,
    };
  } catch (error) {
    if (req.signal?.aborted) throw req.signal.reason ?? error;
    throw transportError(error, req.url, timeout.aborted, timeouts);
  }
}

function headerValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

const NETWORK_TEXT: Record<string, string> = {
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed before a reply',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no reply in time',
  UND_ERR_BODY_TIMEOUT: 'reply stalled',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate could not be verified',
};

function transportError(error: unknown, url: string, timedOut: boolean, timeouts: Timeouts): TransportError {
  const host = safeHost(url);
  if (timedOut) {
    return new TransportError('timeout', `${host} did not answer within ${timeouts.totalMs / 1000}s`, { url, cause: error });
  }
  const code = errorCode(error);
  const what = (code && NETWORK_TEXT[code]) ?? (error instanceof Error ? error.message : String(error));
  const timeout = code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
  return new TransportError(timeout ? 'timeout' : 'network', `cannot reach ${host}: ${what}`, { url, cause: error });
}

/** The first `code` (ECONNREFUSED, UND_ERR_SOCKET, …) along an error's `cause` chain. */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the portal';
  }
}
