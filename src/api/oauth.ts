import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { ApiError, TransportError } from './errors.js';
import { isLoopbackHost } from './hosts.js';
import { mayHaveArrived, send, type Timeouts } from './http.js';

/**
 * A token as the portal issues it: printable ASCII, no spaces, of a sane length. Anything else (a
 * 50 MB string, an HTML page) is junk that must never replace a working token in the config file.
 */
const token = z.string().regex(/^[\x21-\x7e]{8,2048}$/, 'does not look like a token');
const short = (max: number) => z.string().max(max);

/** The token endpoint's reply (refresh and authorization-code grants alike). */
export const tokenReplySchema = z.object({
  access_token: token,
  refresh_token: token,
  expires_in: z.coerce.number().optional(),
  expires: z.coerce.number().optional(),
  client_endpoint: short(2048).optional(),
  member_id: short(256).optional(),
  scope: short(4096).optional(),
  user_id: z.coerce.number().optional(),
  domain: short(1024).optional(),
  status: short(64).optional(),
});
/** The most a token reply may weigh; real ones are under 1 KiB. */
const MAX_TOKEN_REPLY_BYTES = 64 * 1024;
export type TokenReply = z.infer<typeof tokenReplySchema>;

export interface OAuthClientConfig {
  server: string;
  clientId: string;
  clientSecret: string;
}

export interface OAuthTransport {
  dispatcher: Dispatcher;
  timeouts: Timeouts;
  userAgent: string;
  trace?: (line: string) => void;
  /**
   * Runs work that must not be cut short by an interrupt: once a refresh token is sent, its
   * successor must be saved, or the chain is lost.
   */
  critical?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Only for grants whose tokens may be thrown away (a code exchange); never for a refresh. */
  signal?: AbortSignal;
}

/**
 * The portal a token reply belongs to (`client_endpoint`, e.g. https://x.bitrix24.com/rest/), as an
 * origin. Only https, or http on loopback, is trusted as a place to send tokens.
 */
export function endpointOrigin(reply: TokenReply): string | undefined {
  if (!reply.client_endpoint) return undefined;
  try {
    const url = new URL(reply.client_endpoint);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)) ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The portal a token reply names, and whether the reply's own `domain` confirms it. Only a
 * confirmed address may replace the one the user configured: anything else (a proxy rewriting
 * `client_endpoint`) would send every later call, token included, to another host.
 */
export function namedPortal(reply: TokenReply): { origin: string; confirmed: boolean } | undefined {
  const origin = endpointOrigin(reply);
  if (!origin) return undefined;
  const url = new URL(origin);
  const domain = reply.domain?.trim().toLowerCase();
  return { origin, confirmed: domain === url.host || domain === url.hostname };
}

/** Spends `refreshToken` for a new pair. Never retried: a lost reply may already have spent it. */
export async function refreshTokens(config: OAuthClientConfig, refreshToken: string, transport: OAuthTransport): Promise<TokenReply> {
  const { signal: _never, ...uninterruptible } = transport; // its successor must be saved, so no abort
  try {
    return await tokenRequest(config, { grant_type: 'refresh_token', refresh_token: refreshToken }, uninterruptible);
  } catch (error) {
    if (!mayHaveArrived(error)) throw error;
    const lost = error as TransportError;
    throw new TransportError(lost.kind, `${lost.message}, while refreshing the token; the OAuth server may have spent the refresh token`, {
      url: lost.url,
      cause: lost.cause,
      mayHaveRun: true,
    });
  }
}

/** Exchanges an authorization code (valid 30 s) for the first token pair. */
export function exchangeCode(config: OAuthClientConfig, code: string, transport: OAuthTransport): Promise<TokenReply> {
  return tokenRequest(config, { grant_type: 'authorization_code', code }, transport);
}

/**
 * What answers at a server's token endpoint, asked with no credentials and no code (nothing is
 * spent, no secret sent): an OAuth server replies with an OAuth error (`{"error": …}`). A redirect
 * or any other reply means something else lives there. Network failures throw a TransportError.
 */
export async function probeTokenEndpoint(server: string, transport: OAuthTransport): Promise<{ oauth: boolean; status: number }> {
  const url = new URL('/oauth/token/', server);
  url.searchParams.set('grant_type', 'authorization_code');
  transport.trace?.(`→ GET ${url.origin}${url.pathname} (does an OAuth server answer?)`);
  try {
    const headers = { accept: 'application/json', 'user-agent': transport.userAgent };
    const request = { method: 'GET' as const, url: url.toString(), signal: transport.signal, headers, maxBytes: MAX_TOKEN_REPLY_BYTES };
    const reply = await send(transport.dispatcher, request, transport.timeouts, undefined, 0);
    const body = parseJson(reply.text);
    return { oauth: typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string', status: reply.status };
  } catch (error) {
    if (error instanceof TransportError && error.kind === 'redirect') return { oauth: false, status: error.status ?? 0 };
    throw error;
  }
}

async function tokenRequest(config: OAuthClientConfig, grant: Record<string, string>, transport: OAuthTransport): Promise<TokenReply> {
  const url = new URL('/oauth/token/', config.server);
  const query = { ...grant, client_id: config.clientId, client_secret: config.clientSecret };
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  transport.trace?.(`→ GET ${url.origin}${url.pathname} grant_type=${grant.grant_type}`);
  const started = Date.now();
  const reply = await send(
    transport.dispatcher,
    {
      method: 'GET',
      url: url.toString(),
      signal: transport.signal,
      maxBytes: MAX_TOKEN_REPLY_BYTES,
      headers: { accept: 'application/json', 'user-agent': transport.userAgent },
    },
    transport.timeouts,
    undefined,
    0,
  );
  transport.trace?.(`← ${reply.status} ${url.pathname} (${Date.now() - started} ms)`);
  const body = parseJson(reply.text);
  if (body && typeof body === 'object' && 'error' in body) {
    const err = body as { error: unknown; error_description?: unknown };
    throw new ApiError({
      code: String(err.error),
      status: reply.status,
      description: typeof err.error_description === 'string' ? err.error_description : '',
      method: 'oauth/token',
    });
  }
  const parsed = tokenReplySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const what = body && typeof body === 'object' && issue?.path.length ? `unusable tokens (${issue.path.join('.')} ${issue.message})` : 'no tokens';
    throw new TransportError('non-json', `the OAuth server ${url.host} replied HTTP ${reply.status} with ${what}`, {
      url: `${url.origin}${url.pathname}`,
      status: reply.status,
    });
  }
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
