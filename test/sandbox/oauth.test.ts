import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox, type SandboxApp } from '../../src/sandbox/index.js';
import { call, type Json } from './helpers.js';

async function token(sandbox: Sandbox, params: Record<string, string>): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${sandbox.oauthUrl}/oauth/token/?${new URLSearchParams(params).toString()}`);
  return { status: response.status, body: await response.json() };
}

describe('sandbox OAuth server', () => {
  let sandbox: Sandbox;
  let app: SandboxApp;
  before(async () => {
    sandbox = await startSandbox({ rateLimit: false });
    app = sandbox.createApp({ scopes: ['crm', 'task'], redirectUri: 'http://127.0.0.1:9/callback?from=sandbox' });
  });
  after(() => sandbox.close());

  it('refreshes once: the used refresh token dies, reuse is invalid_grant', async () => {
    const first = sandbox.issueTokens(app.clientId, 1);
    const grant = { grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret };
    const refreshed = await token(sandbox, { ...grant, refresh_token: first.refresh_token });
    assert.equal(refreshed.status, 200);
    assert.equal(refreshed.body.scope, 'crm,task');
    assert.equal(refreshed.body.member_id, sandbox.memberId);
    assert.equal(refreshed.body.client_endpoint, `${sandbox.url}/rest/`);
    assert.equal(refreshed.body.server_endpoint, `${sandbox.oauthUrl}/rest/`);
    assert.equal(refreshed.body.expires_in, 3600);
    assert.equal(refreshed.body.user_id, 1);
    assert.equal(refreshed.body.status, 'L');
    assert.notEqual(refreshed.body.refresh_token, first.refresh_token);

    const reused = await token(sandbox, { ...grant, refresh_token: first.refresh_token });
    assert.equal(reused.status, 400);
    assert.equal(reused.body.error, 'invalid_grant');
    assert.equal(typeof reused.body.error_description, 'string');

    const next = await token(sandbox, { ...grant, refresh_token: refreshed.body.refresh_token });
    assert.equal(next.status, 200);
    const rest = await call(`${sandbox.url}/rest/`, 'user.admin', { auth: next.body.access_token });
    assert.equal(rest.body.result, true);
  });

  it('rejects a wrong secret or unknown client with invalid_client and keeps the token usable', async () => {
    const pair = sandbox.issueTokens(app.clientId, 2);
    const wrong = await token(sandbox, {
      grant_type: 'refresh_token',
      client_id: app.clientId,
      client_secret: 'nope',
      refresh_token: pair.refresh_token,
    });
    assert.deepEqual([wrong.status, wrong.body.error], [401, 'invalid_client']);
    const unknown = await token(sandbox, {
      grant_type: 'refresh_token',
      client_id: 'local.x',
      client_secret: app.clientSecret,
      refresh_token: pair.refresh_token,
    });
    assert.equal(unknown.body.error, 'invalid_client');
    const ok = await token(sandbox, {
      grant_type: 'refresh_token',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      refresh_token: pair.refresh_token,
    });
    assert.equal(ok.body.user_id, 2);
  });

  it('accepts a form-encoded POST to the token endpoint', async () => {
    const pair = sandbox.issueTokens(app.clientId, 1);
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      refresh_token: pair.refresh_token,
    });
    const response = await fetch(`${sandbox.oauthUrl}/oauth/token/`, { method: 'POST', body });
    assert.equal(response.status, 200);
  });

  it('redirects /oauth/authorize/ with a code that can be exchanged exactly once', async () => {
    const response = await fetch(`${sandbox.url}/oauth/authorize/?client_id=${app.clientId}&state=xyz&user_id=2`, {
      redirect: 'manual',
    });
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, 'http://127.0.0.1:9/callback');
    assert.equal(location.searchParams.get('from'), 'sandbox');
    assert.equal(location.searchParams.get('state'), 'xyz');
    assert.equal(location.searchParams.get('member_id'), sandbox.memberId);
    assert.equal(location.searchParams.get('scope'), 'crm,task');
    assert.equal(location.searchParams.get('domain'), new URL(sandbox.url).host);
    assert.ok(location.searchParams.get('server_domain'));
    const code = location.searchParams.get('code') ?? '';
    const grant = { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.clientSecret, code };
    const exchanged = await token(sandbox, grant);
    assert.equal(exchanged.status, 200);
    assert.equal(exchanged.body.user_id, 2);
    assert.ok(exchanged.body.refresh_token);
    const again = await token(sandbox, grant);
    assert.deepEqual([again.status, again.body.error], [400, 'invalid_grant']);
  });

  it('shows an HTML error page instead of redirecting for unknown apps or apps without redirect URI', async () => {
    const bare = sandbox.createApp({ scopes: ['crm'] });
    for (const clientId of ['local.unknown', bare.clientId]) {
      const response = await fetch(`${sandbox.url}/oauth/authorize/?client_id=${clientId}`, { redirect: 'manual' });
      assert.equal(response.status, 400);
      assert.match(response.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await response.text(), /Authorization error/);
    }
  });
});

describe('sandbox authorization codes', () => {
  it('expire after codeTtlSec', async () => {
    const sandbox = await startSandbox({ codeTtlSec: 0 });
    try {
      const app = sandbox.createApp({ scopes: ['crm'], redirectUri: 'https://example.com/cb' });
      const response = await fetch(`${sandbox.url}/oauth/authorize/?client_id=${app.clientId}`, { redirect: 'manual' });
      const code = new URL(response.headers.get('location') ?? '').searchParams.get('code') ?? '';
      const reply = await token(sandbox, {
        grant_type: 'authorization_code',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        code,
      });
      assert.deepEqual([reply.status, reply.body.error], [400, 'invalid_grant']);
    } finally {
      await sandbox.close();
    }
  });
});
