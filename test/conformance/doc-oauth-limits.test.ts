// The limits page (time block with the operating budget, the 503 and 429 errors) and the OAuth pages
// (the authorization_code token reply, the authorization server's error codes) against the sandbox.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startSandbox, type Sandbox, type SandboxApp } from '../../src/sandbox/index.js';
import { call, type Json } from '../sandbox/helpers.js';
import { documented, fixture, jsonShape } from './fixtures.js';

const limits = fixture('methods/limits.json');
const docError = (code: string): Json => (limits.errors as Json[]).find((row) => row.error === code);

async function withSandbox(options: Parameters<typeof startSandbox>[0], run: (sandbox: Sandbox, token: string) => Promise<void>): Promise<void> {
  const sandbox = await startSandbox(options);
  try {
    const app = sandbox.createApp({ scopes: ['crm'] });
    await run(sandbox, sandbox.issueTokens(app.clientId, 1).access_token);
  } finally {
    await sandbox.close();
  }
}

async function token(sandbox: Sandbox, params: Record<string, string>): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${sandbox.oauthUrl}/oauth/token/?${new URLSearchParams(params).toString()}`);
  return { status: response.status, body: await response.json() };
}

async function authorizationCode(sandbox: Sandbox, app: SandboxApp): Promise<string> {
  const response = await fetch(`${sandbox.url}/oauth/authorize/?client_id=${app.clientId}`, { redirect: 'manual' });
  return new URL(response.headers.get('location') ?? '').searchParams.get('code') ?? '';
}

describe('conformance: the limits page', () => {
  it('time of a reply under the operating budget: the keys of the limits.md example, in order and type', async () => {
    const example = JSON.parse((limits.examples[0].raw as string).replace(/\.\.\.,?/, ''));
    await withSandbox({ rateLimit: false, operating: { limitSec: 1, windowSec: 600, chargeSec: 2 } }, async (sandbox, auth) => {
      const first = await call(`${sandbox.url}/rest/`, 'event.get', { auth });
      assert.deepEqual(jsonShape(first.body.time), jsonShape(example.time));
      assert.ok(first.body.time.operating >= 2 && first.body.time.operating_reset_at > first.body.time.start);
      const blocked = await call(`${sandbox.url}/rest/`, 'event.get', { auth });
      const doc = docError('OPERATION_TIME_LIMIT');
      assert.deepEqual([blocked.status, Object.keys(blocked.body), blocked.body.error], [doc.status, ['error', 'error_description'], doc.error]);
      assert.equal(typeof blocked.body.error_description, 'string');
    });
  });

  it('503 QUERY_LIMIT_EXCEEDED "Too many requests" once the leaky bucket is full, no time block', async () => {
    await withSandbox({ rateLimit: { drainPerSec: 1, burst: 1 } }, async (sandbox, auth) => {
      const replies = await Promise.all([1, 2, 3].map(() => call(`${sandbox.url}/rest/`, 'scope', { auth })));
      const refused = replies.find((reply) => reply.status !== 200);
      const doc = docError('QUERY_LIMIT_EXCEEDED');
      assert.deepEqual([refused?.status, refused?.body], [doc.status, { error: doc.error, error_description: doc.error_description }]);
    });
  });
});

describe('conformance: the OAuth pages', () => {
  it('authorization_code: the documented token reply key for key and type for type (+ expires, user_id)', async () => {
    const sandbox = await startSandbox({ rateLimit: false });
    try {
      const app = sandbox.createApp({ scopes: ['crm', 'task'], redirectUri: 'http://127.0.0.1:9/callback' });
      const code = await authorizationCode(sandbox, app);
      const reply = await token(sandbox, { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.clientSecret, code });
      assert.equal(reply.status, 200);
      const doc = documented('methods/oauth.token.authorization_code.json', (json) => json.access_token !== undefined);
      // the docs print the keys sorted; the code grant's example lacks expires and user_id, which the
      // refresh grant's example (auto-renewal.md) carries: the server answers both with one token object
      const refresh = documented('methods/oauth.token.refresh_token.json', (json) => json.access_token !== undefined);
      const sorted = (value: Json): Json => jsonShape(Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))));
      assert.deepEqual(sorted(reply.body), sorted({ ...doc, expires: refresh.expires, user_id: refresh.user_id }));
      assert.deepEqual(Object.keys(refresh).sort(), Object.keys(reply.body).sort());
    } finally {
      await sandbox.close();
    }
  });

  it('authorization server errors: {error, error_description} as on error-codes.md, each code from its table', async () => {
    const sandbox = await startSandbox({ rateLimit: false });
    try {
      const app = sandbox.createApp({ scopes: ['crm'] });
      const page = fixture('methods/oauth.errors.json');
      const grant = { client_id: app.clientId, client_secret: app.clientSecret };
      const replies = [
        await token(sandbox, { ...grant, grant_type: 'password' }),
        await token(sandbox, { ...grant, client_secret: 'wrong', grant_type: 'refresh_token', refresh_token: 'x' }),
        await token(sandbox, { ...grant, grant_type: 'refresh_token', refresh_token: 'not-issued' }),
        await token(sandbox, { ...grant, grant_type: 'authorization_code', code: 'not-issued' }),
      ];
      assert.deepEqual(
        replies.map((reply) => reply.body.error),
        ['invalid_request', 'invalid_client', 'invalid_grant', 'invalid_grant'],
      );
      for (const reply of replies) {
        assert.deepEqual(jsonShape(reply.body), jsonShape(page.examples[0].json));
        assert.ok((page.codes.codes as string[]).includes(reply.body.error), reply.body.error);
      }
    } finally {
      await sandbox.close();
    }
  });
});
