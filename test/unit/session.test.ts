// OAuthSession over an in-memory token store and the sandbox's OAuth server (real HTTP).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createDispatcher, DEFAULT_TIMEOUTS } from '../../src/api/http.js';
import { MissingTokenError } from '../../src/api/errors.js';
import { OAuthSession, type TokenState, type TokenStore } from '../../src/api/session.js';
import type { TokenReply } from '../../src/api/oauth.js';
import { startSandbox } from '../../src/sandbox/index.js';

const sandbox = await startSandbox({ rateLimit: false });
const app = sandbox.createApp({ scopes: ['crm'] });
const dispatcher = createDispatcher(DEFAULT_TIMEOUTS);
after(async () => {
  await dispatcher.close();
  await sandbox.close();
});
const transport = { dispatcher, timeouts: DEFAULT_TIMEOUTS, userAgent: 'b24-events-test' };
const oauth = { server: sandbox.oauthUrl, clientId: app.clientId, clientSecret: app.clientSecret };

/** A store that records what happened, in order. */
function memoryStore(initial: TokenState, options: { failSave?: boolean } = {}) {
  let state = { ...initial };
  const events: string[] = [];
  const store: TokenStore = {
    load: () => ({ ...state }),
    save(reply: TokenReply) {
      events.push('save');
      if (options.failSave) throw new Error('disk full');
      state = { accessToken: reply.access_token, refreshToken: reply.refresh_token, accessTokenExpires: reply.expires };
    },
    async exclusive(fn) {
      events.push('lock');
      try {
        return await fn();
      } finally {
        events.push('unlock');
      }
    },
  };
  return { store, events, state: () => state, set: (next: TokenState) => (state = { ...next }) };
}

test('a token that is not due is used as it is: nothing is spent', async () => {
  const pair = sandbox.issueTokens(app.clientId, 1);
  const memory = memoryStore({ accessToken: pair.access_token, refreshToken: pair.refresh_token, accessTokenExpires: 2000 });
  const session = new OAuthSession(memory.store, oauth, transport, { now: () => 1000 });
  assert.equal(await session.accessToken(), pair.access_token);
  assert.deepEqual(memory.events, []);
});

test('a token due by the clock (60 s margin) is refreshed under the lock, and saved before it is handed out', async () => {
  const pair = sandbox.issueTokens(app.clientId, 1);
  const memory = memoryStore({ accessToken: pair.access_token, refreshToken: pair.refresh_token, accessTokenExpires: 1050 });
  const renewed: TokenReply[] = [];
  const session = new OAuthSession(memory.store, oauth, transport, { now: () => 1000, onRenewed: (reply) => renewed.push(reply) });
  const token = await session.accessToken();
  assert.notEqual(token, pair.access_token);
  assert.deepEqual(memory.events, ['lock', 'save', 'unlock']);
  assert.equal(memory.state().accessToken, token, 'the saved token is the one handed out');
  assert.notEqual(memory.state().refreshToken, pair.refresh_token);
  assert.equal(renewed.length, 1);
});

test('renew after another process refreshed: its token is used and nothing is spent', async () => {
  const pair = sandbox.issueTokens(app.clientId, 1);
  const memory = memoryStore({ accessToken: 'rejected-token', refreshToken: pair.refresh_token });
  const session = new OAuthSession(memory.store, oauth, transport);
  memory.set({ accessToken: 'refreshed-elsewhere', refreshToken: 'next', accessTokenExpires: Date.now() / 1000 + 3600 });
  assert.equal(await session.renew('rejected-token'), 'refreshed-elsewhere');
  assert.deepEqual(memory.events, ['lock', 'unlock']);
});

test('renew of the rejected token spends the refresh token once', async () => {
  const pair = sandbox.issueTokens(app.clientId, 1);
  const memory = memoryStore({ accessToken: pair.access_token, refreshToken: pair.refresh_token });
  const session = new OAuthSession(memory.store, oauth, transport);
  const fresh = await session.renew(pair.access_token);
  assert.notEqual(fresh, pair.access_token);
  assert.deepEqual(memory.events, ['lock', 'save', 'unlock']);
});

test('a successor that cannot be saved is never handed out', async () => {
  const pair = sandbox.issueTokens(app.clientId, 1);
  const memory = memoryStore({ accessToken: pair.access_token, refreshToken: pair.refresh_token }, { failSave: true });
  const session = new OAuthSession(memory.store, oauth, transport);
  await assert.rejects(session.renew(pair.access_token), /disk full/);
});

test('without a refresh token: the access token is tried as it is, or a MissingTokenError', async () => {
  const onlyAccess = new OAuthSession(memoryStore({ accessToken: 'a', accessTokenExpires: 1 }).store, oauth, transport, { now: () => 1000 });
  assert.equal(await onlyAccess.accessToken(), 'a', 'the portal is the judge');
  const nothing = new OAuthSession(memoryStore({}).store, oauth, transport);
  await assert.rejects(nothing.accessToken(), MissingTokenError);
  await assert.rejects(new OAuthSession(memoryStore({ accessToken: 'a' }).store, oauth, transport).renew('a'), MissingTokenError);
});

test('a spent refresh token is invalid_grant from the server, and nothing is saved', async () => {
  const pair = sandbox.issueTokens(app.clientId, 1);
  const first = new OAuthSession(memoryStore({ refreshToken: pair.refresh_token }).store, oauth, transport);
  await first.accessToken();
  const memory = memoryStore({ refreshToken: pair.refresh_token });
  await assert.rejects(new OAuthSession(memory.store, oauth, transport).accessToken(), (error: Error & { code?: string }) => error.code === 'invalid_grant');
  assert.deepEqual(memory.events, ['lock', 'unlock']);
});

test('a token in hand is used while it is valid: the store is read once, not on every call', async () => {
  const pair = sandbox.issueTokens(app.clientId, 1);
  const memory = memoryStore({ accessToken: pair.access_token, refreshToken: pair.refresh_token, accessTokenExpires: 2000 });
  let loads = 0;
  const load = memory.store.load.bind(memory.store);
  memory.store.load = () => (loads++, load());
  const session = new OAuthSession(memory.store, oauth, transport, { now: () => 1000 });
  for (let i = 0; i < 5; i++) assert.equal(await session.accessToken(), pair.access_token);
  assert.equal(loads, 1);
});
