import { randomBytes } from 'node:crypto';
import { exchangeCode, type TokenReply } from '../api/oauth.js';
import { ApiError } from '../api/errors.js';
import { AuthError, UsageError } from '../errors.js';
import { transportFor, type SessionDeps } from '../config/session-factory.js';

/** What the authorization-code flow needs to know about the application. */
export interface AppCredentials {
  portal: string;
  oauthServer: string;
  clientId: string;
  clientSecret: string;
}

/** The query the portal appends to the application's redirect address. */
export interface AuthorizationRedirect {
  code: string;
  state: string | undefined;
  domain: string | undefined;
  memberId: string | undefined;
  scope: string | undefined;
}

/** An unguessable `state`, so a redirect that b24-events did not start is refused. */
export function newState(): string {
  return randomBytes(16).toString('hex');
}

/** `https://PORTAL/oauth/authorize/?client_id=…&state=…`; the portal redirects to the app's own address. */
export function authorizeUrl(portal: string, clientId: string, state?: string): string {
  const url = new URL('/oauth/authorize/', portal);
  url.searchParams.set('client_id', clientId);
  if (state) url.searchParams.set('state', state);
  return url.toString();
}

/** Reads the redirect's query from a full URL or a bare `?code=…&…` query string. */
export function parseRedirect(text: string): AuthorizationRedirect {
  const trimmed = text.trim();
  let query: URLSearchParams;
  try {
    query = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? new URL(trimmed).searchParams : new URLSearchParams(trimmed.replace(/^[^?]*\?/, ''));
  } catch {
    throw new UsageError('that is not the redirected address', { hint: 'copy the whole address from the browser, it contains ?code=…&state=…' });
  }
  return redirectFromQuery(query);
}

/** The same from an already parsed query (the loopback listener's request). */
export function redirectFromQuery(query: URLSearchParams): AuthorizationRedirect {
  const error = query.get('error');
  if (error)
    throw new AuthError(`the portal refused the authorization (${error}${query.get('error_description') ? `: ${query.get('error_description')}` : ''})`);
  const code = query.get('code');
  if (!code)
    throw new UsageError('the address has no code parameter', { hint: 'copy the address the browser was sent to after approving, it contains ?code=…' });
  const optional = (key: string) => query.get(key) || undefined;
  return { code, state: optional('state'), domain: optional('domain'), memberId: optional('member_id'), scope: optional('scope') };
}

/** The redirect must answer the authorization this process started (CSRF protection). */
export function checkState(redirect: AuthorizationRedirect, expected: string): void {
  if (redirect.state !== expected) {
    throw new UsageError('this address does not belong to the authorization b24-events just started (state differs)', {
      hint: 'open the address b24-events printed and approve it again',
    });
  }
}

/** A warning when the redirect names another portal than the one the profile uses. */
export function domainWarning(redirect: AuthorizationRedirect, portal: string): string | undefined {
  if (!redirect.domain) return undefined;
  const host = new URL(portal).host.toLowerCase();
  if (redirect.domain.toLowerCase() === host) return undefined;
  return `the authorization came from ${redirect.domain}, not ${host}; b24-events keeps using ${host} (pass --portal https://${redirect.domain} if the portal moved)`;
}

/**
 * Exchanges an authorization code for the first token pair. Codes are single-use and live 30 s,
 * so this runs the moment a code arrives; a refusal says so plainly.
 */
export async function exchangeAuthorizationCode(ctx: SessionDeps, app: AppCredentials, code: string): Promise<TokenReply> {
  ctx.redactor.add(code, app.clientSecret);
  try {
    const reply = await exchangeCode(
      { server: app.oauthServer, clientId: app.clientId, clientSecret: app.clientSecret },
      code,
      { ...transportFor(ctx), signal: ctx.signal }, // an interrupted exchange discards its tokens: no need to wait
    );
    ctx.redactor.add(reply.access_token, reply.refresh_token);
    return reply;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'invalid_grant') {
      throw new AuthError('the authorization code was refused (invalid_grant): codes are single-use and expire 30 seconds after the redirect', {
        code: 'invalid_grant',
        hint: 'authorize again and let b24-events exchange the code at once',
        cause: error,
      });
    }
    throw error;
  }
}
