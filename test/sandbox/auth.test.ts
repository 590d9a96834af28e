import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, callForm, client, errorOf, setup } from './helpers.js';

describe('sandbox authentication', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    ctx = await setup();
  });
  after(() => ctx.sandbox.close());

  it('answers an unknown method with 404 before looking at credentials', async () => {
    const reply = await call(`${ctx.sandbox.url}/rest/`, 'event.nosuch');
    assert.deepEqual(errorOf(reply), [404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!']);
    assert.equal(reply.body.time, undefined);
  });

  it('refuses a missing or unknown token with 401 NO_AUTH_FOUND', async () => {
    const missing = await call(`${ctx.sandbox.url}/rest/`, 'event.get');
    assert.deepEqual(errorOf(missing), [401, 'NO_AUTH_FOUND', 'Wrong authorization data']);
    const unknown = await call(`${ctx.sandbox.url}/rest/`, 'event.get', { auth: 'not-a-token' });
    assert.deepEqual(errorOf(unknown), [401, 'NO_AUTH_FOUND', 'Wrong authorization data']);
  });

  it('reports expired tokens as expired_token; tokens issued later still work', async () => {
    const own = await setup();
    try {
      own.sandbox.expireAccessTokens();
      const reply = await own.admin('event.get');
      assert.deepEqual(errorOf(reply), [401, 'expired_token', 'The access token provided has expired']);
      const fresh = client(own.sandbox, own.sandbox.issueTokens(own.app.clientId, 1));
      assert.equal((await fresh('event.get')).status, 200);
    } finally {
      await own.sandbox.close();
    }
  });

  it('lets access tokens lapse after accessTokenTtlSec', async () => {
    const own = await setup({ accessTokenTtlSec: 0 });
    try {
      assert.equal((await own.admin('user.admin')).body.error, 'expired_token');
    } finally {
      await own.sandbox.close();
    }
  });

  it('accepts the token in the query string, a form body and a Bearer header', async () => {
    const tokens = ctx.sandbox.issueTokens(ctx.app.clientId, 1);
    const viaQuery = await fetch(`${ctx.sandbox.url}/rest/user.admin.json?auth=${tokens.access_token}`);
    assert.equal(((await viaQuery.json()) as { result: unknown }).result, true);
    const viaForm = await callForm(`${ctx.sandbox.url}/rest/`, 'user.admin', `auth=${tokens.access_token}`);
    assert.equal(viaForm.body.result, true);
    const viaHeader = await fetch(`${ctx.sandbox.url}/rest/USER.ADMIN`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(((await viaHeader.json()) as { result: unknown }).result, true);
    assert.equal(viaHeader.headers.get('access-control-allow-origin'), '*');
  });

  it('wraps results in the success envelope with a time block', async () => {
    const reply = await ctx.user('user.admin');
    assert.equal(reply.status, 200);
    assert.equal(reply.body.result, false);
    for (const key of ['start', 'finish', 'duration', 'processing', 'date_start', 'date_finish', 'operating']) {
      assert.ok(key in reply.body.time, key);
    }
    assert.match(reply.body.time.date_start, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  });

  it('requires the user scope for user.current but not for profile', async () => {
    const app = ctx.sandbox.createApp({ scopes: ['crm'] });
    const rest = client(ctx.sandbox, ctx.sandbox.issueTokens(app.clientId, 2));
    const current = await rest('user.current');
    assert.deepEqual(errorOf(current), [401, 'insufficient_scope', 'The request requires higher privileges than provided by the access token']);
    const profile = await rest('profile');
    assert.equal(profile.body.result.ID, '2');
    assert.equal(profile.body.result.ADMIN, false);
    assert.equal((await ctx.admin('user.current')).body.result.ID, '1');
  });

  it('answers app.info and feature.get', async () => {
    const info = await ctx.admin('app.info');
    assert.equal(info.body.result.CODE, ctx.app.clientId);
    assert.equal(info.body.result.STATUS, 'L');
    const feature = await ctx.admin('feature.get', { CODE: 'rest_offline_extended' });
    assert.deepEqual(feature.body.result, { value: 'Y' });
    const empty = await ctx.admin('feature.get', {});
    assert.deepEqual(errorOf(empty), [400, 'CODE_EMPTY', "CODE can't be empty"]);
  });
});

describe('sandbox incoming webhooks', () => {
  let sandbox: Sandbox;
  let hook: string;
  before(async () => {
    sandbox = await startSandbox({ rateLimit: false });
    hook = sandbox.createWebhook(1);
  });
  after(() => sandbox.close());

  it('refuses every event method with 403 WRONG_AUTH_TYPE', async () => {
    const methods = [
      'events',
      'event.bind',
      'event.unbind',
      'event.get',
      'event.test',
      'event.offline.get',
      'event.offline.list',
      'event.offline.clear',
      'event.offline.error',
    ];
    for (const method of methods) {
      const reply = await call(hook, method, { event: 'ONCRMDEALADD', handler: 'https://example.com/h' });
      assert.deepEqual(errorOf(reply), [403, 'WRONG_AUTH_TYPE', 'Current authorization type is denied for this method'], method);
    }
  });

  it('serves user.admin, scope, profile, feature.get and batch', async () => {
    assert.match(hook, /^http:\/\/127\.0\.0\.1:\d+\/rest\/1\/[a-z0-9]{16}\/$/);
    assert.equal((await call(hook, 'user.admin')).body.result, true);
    assert.ok((await call(hook, 'scope')).body.result.includes('crm'));
    assert.equal((await call(hook, 'profile')).body.result.ID, '1');
    assert.equal((await call(hook, 'feature.get', { CODE: 'rest_auth_connector' })).body.result.value, 'Y');
    const batch = await call(hook, 'batch', { cmd: { admin: 'user.admin', bind: 'event.bind?event=ONCRMDEALADD&handler=https://a.bc/' } });
    assert.equal(batch.status, 200);
    assert.equal(batch.body.result.result.admin, true);
    assert.equal(batch.body.result.result_error.bind.error, 'WRONG_AUTH_TYPE');
  });

  it('refuses app.info outside application context and unknown webhook codes', async () => {
    assert.deepEqual(errorOf(await call(hook, 'app.info')), [403, 'ACCESS_DENIED', 'Access denied! Application context required']);
    const wrong = await call(`${sandbox.url}/rest/1/wrongcode/`, 'user.admin');
    assert.deepEqual(errorOf(wrong), [401, 'NO_AUTH_FOUND', 'Wrong authorization data']);
  });
});

describe('sandbox plan features', () => {
  it('refuses auth_connector, even empty, without rest_auth_connector', async () => {
    const { sandbox, admin } = await setup({ features: { rest_auth_connector: false } });
    try {
      for (const connector of ['crm-sync', '']) {
        const reply = await admin('event.get', { auth_connector: connector });
        assert.deepEqual(errorOf(reply), [403, 'WRONG_LICENSE', 'This feature is not enabled for the current license: auth_connector']);
      }
      assert.deepEqual((await admin('feature.get', { code: 'rest_auth_connector' })).body.result, { value: 'N' });
      assert.equal((await admin('event.get')).status, 200);
    } finally {
      await sandbox.close();
    }
  });
});
