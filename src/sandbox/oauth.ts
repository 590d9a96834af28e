// The OAuth server (oauth.bitrix.info's role) and the portal's authorization page (reference §4).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RestError } from './errors.js';
import { escapeHtml, readParams, sendHtml, sendJson } from './http-io.js';
import { Params } from './params.js';
import { strval } from './php.js';
import type { Portal } from './portal.js';
import type { TokenPair } from './types.js';

/** GET|POST /oauth/token/: refresh_token and authorization_code grants, both single-use. */
export async function handleToken(portal: Portal, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  try {
    const params = new Params(await readParams(req, url.search));
    // Faults armed for method "oauth/token": a delay answers late *after* the grant was spent (a
    // reply that may never arrive), an HTML page or a reset answers without touching the grant.
    const fault = portal.faults.take('oauth/token');
    if (fault?.kind === 'html') return sendHtml(res, fault.status, '<html><body>Bad Gateway</body></html>');
    if (fault?.kind === 'reset') return void res.socket?.destroy();
    const reply = exchange(portal, params);
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    sendJson(res, 200, reply);
  } catch (error) {
    const failure = error instanceof RestError ? error : oauthError(400, 'invalid_request', 'Malformed request');
    sendJson(res, failure.status, failure.toBody());
  }
}

function exchange(portal: Portal, params: Params): TokenPair {
  const grantType = strval(params.get('grant_type'));
  if (grantType !== 'refresh_token' && grantType !== 'authorization_code') {
    throw oauthError(400, 'invalid_request', 'Unsupported grant_type');
  }
  const app = portal.directory.app(strval(params.get('client_id')));
  if (!app || app.clientSecret !== strval(params.get('client_secret'))) {
    throw oauthError(401, 'invalid_client', 'Invalid client_id or client_secret');
  }
  if (grantType === 'refresh_token') {
    const token = strval(params.get('refresh_token'));
    if (token === '') throw oauthError(400, 'invalid_request', 'refresh_token is required');
    const pair = portal.tokens.redeemRefresh(token, app);
    if (!pair) throw oauthError(400, 'invalid_grant', 'Refresh token is invalid, expired or already used');
    return pair;
  }
  const code = strval(params.get('code'));
  if (code === '') throw oauthError(400, 'invalid_request', 'code is required');
  const pair = portal.tokens.redeemCode(code, app);
  if (!pair) throw oauthError(400, 'invalid_grant', 'Authorization code is invalid, expired or already used');
  return pair;
}

function oauthError(status: number, code: string, description: string): RestError {
  return new RestError(status, code, description);
}

/**
 * GET /oauth/authorize/: redirects to the app's configured URI with a fresh code. There is no login;
 * the acting user is 1 unless `user_id` says otherwise (a sandbox convenience). Failures show an
 * error page and never redirect, as on a real portal.
 */
export function handleAuthorize(portal: Portal, res: ServerResponse, url: URL): void {
  const query = url.searchParams;
  const app = portal.directory.app(query.get('client_id') ?? '');
  if (!app) return errorPage(res, 'Application not found.');
  let target: URL;
  try {
    target = new URL(app.redirectUri ?? '');
  } catch {
    return errorPage(res, 'The application has no valid redirect URI.');
  }
  const user = portal.directory.user(Number(query.get('user_id') ?? '1'));
  if (!user) return errorPage(res, 'Unknown user.');
  target.searchParams.set('code', portal.tokens.createCode(app, user.id));
  const state = query.get('state');
  if (state !== null) target.searchParams.set('state', state);
  target.searchParams.set('domain', portal.domain);
  target.searchParams.set('member_id', portal.memberId);
  target.searchParams.set('scope', app.scopes.join(','));
  target.searchParams.set('server_domain', portal.domain);
  res.writeHead(302, { location: target.toString(), 'content-length': 0 });
  res.end();
}

function errorPage(res: ServerResponse, message: string): void {
  sendHtml(
    res,
    400,
    `<!DOCTYPE html><html><head><title>Authorization error</title></head><body><h1>Authorization error</h1><p>${escapeHtml(message)}</p></body></html>`,
  );
}
