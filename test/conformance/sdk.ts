// The official JS SDK (@bitrix24/b24jssdk, pinned) configured as its own docs say
// (docs/content/docs/2.working-with-the-rest-api/40.oauth.md): B24OAuth with the token reply's
// fields verbatim, clientEndpoint `…/rest/` as issued, serverEndpoint for refreshes.
import assert from 'node:assert/strict';
import { AjaxError, B24OAuth, EnumAppStatus, type RestrictionParams } from '@bitrix24/b24jssdk';
import type { Sandbox, SandboxApp, TokenPair } from '../../src/sandbox/index.js';
import type { Json } from './fixtures.js';

// Loopback only: a proxy from the environment must never carry these requests (axios honours it).
for (const name of ['http_proxy', 'https_proxy', 'all_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY']) delete process.env[name];

/** A B24OAuth client for the app's installation by `userId`, and the refreshed pairs it reports. */
export function sdkClient(
  sandbox: Sandbox,
  app: SandboxApp,
  userId = 1,
  restrictionParams: Partial<RestrictionParams> = {},
): { b24: B24OAuth; tokens: TokenPair; refreshed: { accessToken: string; refreshToken: string }[] } {
  const tokens = sandbox.issueTokens(app.clientId, userId);
  const b24 = new B24OAuth(
    {
      applicationToken: app.applicationToken,
      userId: tokens.user_id,
      memberId: tokens.member_id,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expires: tokens.expires,
      expiresIn: tokens.expires_in,
      scope: tokens.scope,
      domain: tokens.domain,
      clientEndpoint: tokens.client_endpoint,
      serverEndpoint: tokens.server_endpoint,
      status: EnumAppStatus.Local,
    },
    { clientId: app.clientId, clientSecret: app.clientSecret },
    { restrictionParams },
  );
  b24.offClientSideWarning();
  const refreshed: { accessToken: string; refreshToken: string }[] = [];
  b24.setCallbackRefreshAuth(({ b24OAuthParams }) => {
    refreshed.push({ accessToken: b24OAuthParams.accessToken, refreshToken: b24OAuthParams.refreshToken });
    return Promise.resolve();
  });
  return { b24, tokens, refreshed };
}

/** A successful call's `{result, time, total}`; a hard error throws the SDK's AjaxError. */
export async function call(b24: Pick<B24OAuth, 'actions'>, method: string, params: Record<string, unknown> = {}): Promise<Json> {
  const reply = await b24.actions.v2.call.make({ method, params });
  assert.ok(reply.isSuccess, `${method}: ${reply.getErrorMessages().join('; ')}`);
  return { ...(reply.getData() as Json), total: reply.getTotal() };
}

/** The AjaxError a call ends in. */
export async function failure(promise: Promise<unknown>): Promise<AjaxError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  assert.ok(error instanceof AjaxError, `expected an AjaxError, got ${String(error)}`);
  return error;
}
