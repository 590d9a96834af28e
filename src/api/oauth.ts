import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { ApiError, TransportError } from './errors.js';
import { isLoopbackHost } from './hosts.js';
import { send, type Timeouts } from './http.js';

/** The token endpoint's reply (refresh and authorization-code grants alike). */
export const tokenReplySchema = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  expires_in: z.coerce.number().optional(),
  expires: z.coerce.number().optional(),
  client_endpoint: z.string().optional(),
  member_id: z.string().optional(),
  scope: z.string().optional(),
  user_id: z.coerce.number().optional(),
  domain: z.string().optional(),
  status: z.string().optional(),
});
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

/** Spends `refreshToken` for a new pair. Never retried: a lost reply may already have spent it. */
export function refreshTokens(config: OAuthClientConfig, refreshToken: string, transport: OAuthTransport): Promise<TokenReply> {
  const { signal: _never, ...uninterruptible } = transport; // its successor must be saved, so no abort
  return tokenRequest(config, { grant_type: 'refresh_token', refresh_token: refreshToken }, uninterruptible);
}

/** Exchanges an authorization code (valid 30 s) for the first token pair. */
export function exchangeCode(config: OAuthClientConfig, code: string, transport: OAuthTransport): Promise<TokenReply> {
  return tokenRequest(config, { grant_type: 'authorization_code', code }, transport);
}

async function tokenRequest(config: OAuthClientConfig, grant: Record<string, string>, transport: OAuthTransport): Promise<TokenReply> {
  const url = new URL('/oauth/token/', config.server);
  const query = { ...grant, client_id: config.clientId, client_secret: config.clientSecret };
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  transport.trace?.(`→ GET ${url.origin}${url.pathname} grant_type=${grant.grant_type}`);
  const started = Date.now();
  const reply = await send(
    transport.dispatcher,
    { method: 'GET', url: url.toString(), signal: transport.signal, headers: { accept: 'application/json', 'user-agent': transport.userAgent } },
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
    throw new TransportError('non-json', `the OAuth server ${url.host} replied HTTP ${reply.status} without tokens`, {
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
