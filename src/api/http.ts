import type { Dispatcher } from 'undici';
import { Agent, request } from './undici.js';
import { TransportError } from './errors.js';
import { errorCode } from './net-codes.js';

export { errorCode };

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
  /** the most reply bytes to read (default MAX_REPLY_BYTES); a longer reply is an `oversized` error */
  maxBytes?: number;
}

/** REST replies: far above any real page (an offline.get of 1,000 events is a few MB), far below harm. */
export const MAX_REPLY_BYTES = 64 * 1024 * 1024;

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
 * Sends one request. A redirect within the same origin is followed with the same method and body
 * (not silently turned into a GET). A redirect to another origin is an error naming both: the body
 * carries the access token, and neither it nor the request may go anywhere but where it was sent.
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
    const from = new URL(url);
    const next = new URL(location, url);
    if (next.origin !== from.origin) {
      throw new TransportError('redirect', `${from.origin} redirected the request to ${next.origin} (HTTP ${reply.status}); it was not sent there`, {
        url,
        status: reply.status,
      });
    }
    if (hop >= maxRedirects) {
      const what = maxRedirects === 0 ? 'an unexpected redirect' : 'too many redirects';
      throw new TransportError('redirect', `${what} from ${from.host} (HTTP ${reply.status})`, { url, status: reply.status });
    }
    onRedirect?.(url, next.toString());
    url = next.toString();
  }
}

async function sendOnce(dispatcher: Dispatcher, req: HttpRequest, timeouts: Timeouts): Promise<HttpReply & { location: string | undefined }> {
  const timeout = AbortSignal.timeout(timeouts.totalMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const limit = req.maxBytes ?? MAX_REPLY_BYTES;
  let reply: (HttpReply & { location: string | undefined }) | undefined;
  try {
    const res = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      dispatcher,
      signal,
    });
    const text = await readCapped(res.body, limit, Number(headerValue(res.headers['content-length'])));
    reply = {
      status: res.statusCode,
      contentType: headerValue(res.headers['content-type']),
      location: headerValue(res.headers.location) || undefined,
      text: text ?? '',
      url: req.url,
    };
    if (text === undefined) throw oversized(reply, limit);
    return reply;
  } catch (error) {
    if (error instanceof TransportError) throw error;
    if (req.signal?.aborted) throw req.signal.reason ?? error;
    throw transportError(error, req.url, timeout.aborted, timeouts);
  }
}

/** The body as text, or undefined (and the connection dropped) once it passes `limit` bytes. */
async function readCapped(body: Dispatcher.ResponseData['body'], limit: number, declared: number): Promise<string | undefined> {
  if (declared > limit) {
    body.destroy();
    return undefined;
  }
  // Decoded as it arrives: a large reply (a drain's many pages) is held once, as text, not also as
  // its chunks and their concatenation.
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      return undefined;
    }
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

function oversized(reply: HttpReply, limit: number): TransportError {
  const size = limit >= 1024 * 1024 ? `${limit / (1024 * 1024)} MiB` : `${limit / 1024} KiB`;
  return new TransportError('oversized', `${safeHost(reply.url)} sent a reply larger than ${size} (HTTP ${reply.status}); it was not read further`, {
    url: reply.url,
    status: reply.status,
  });
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
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate from an untrusted CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS certificate from an untrusted CA',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate could not be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate is for another host',
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

/** Failures that happen before a request leaves the machine: the server cannot have acted on it. */
const NEVER_SENT = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/**
 * Whether a failed request may have reached the server and been acted on: its reply was lost
 * (connection closed, reset or timed out after sending), as opposed to never sent at all.
 */
export function mayHaveArrived(error: unknown): boolean {
  if (!(error instanceof TransportError) || (error.kind !== 'network' && error.kind !== 'timeout')) return false;
  const code = errorCode(error.cause);
  return !code || !NEVER_SENT.has(code);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the portal';
  }
}
