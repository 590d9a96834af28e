import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, seedDemo, type Sandbox } from '../../src/sandbox/index.js';
import { call, type Json } from './helpers.js';
import { receiver, waitFor } from './receiver.js';

describe('sandbox HTTP control API', () => {
  let sandbox: Sandbox;
  const control = async (action: string, body: unknown = {}): Promise<{ status: number; body: Json }> => {
    const response = await fetch(`${sandbox.url}/_sandbox/${action}`, { method: 'POST', body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  };
  before(async () => {
    sandbox = await startSandbox({ rateLimit: false });
  });
  after(() => sandbox.close());

  it('says it is a sandbox (info), so init can tell it from a real portal', async () => {
    assert.deepEqual((await control('info')).body, { sandbox: true, url: sandbox.url, memberId: sandbox.memberId });
  });

  it('drives a whole scenario: user, app, tokens, trigger, queue, handlers, log', async () => {
    assert.deepEqual((await control('add-user', { admin: false, name: 'Ann' })).body, { id: 3 });
    const app = (await control('create-app', { scopes: ['crm'], clientId: 'local.test.1' })).body;
    assert.deepEqual([app.clientId, app.scopes, typeof app.clientSecret, app.applicationToken.length], ['local.test.1', ['crm'], 'string', 32]);
    const tokens = (await control('issue-tokens', { clientId: 'local.test.1', userId: 1 })).body;
    assert.equal(tokens.client_endpoint, `${sandbox.url}/rest/`);
    await call(`${sandbox.url}/rest/`, 'event.bind', { auth: tokens.access_token, event: 'ONCRMDEALADD', event_type: 'offline' });
    assert.deepEqual((await control('trigger', { event: 'ONCRMDEALADD', data: { FIELDS: { ID: '1' } }, userId: 1 })).body, { ok: true, queued: 1, posted: 0 });
    const bulk = await control('trigger', {
      items: [
        { event: 'ONCRMDEALADD', data: { FIELDS: { ID: '2' } } },
        { event: 'ONCRMDEALADD', data: { FIELDS: { ID: '3' } } },
      ],
    });
    assert.deepEqual(bulk.body, { ok: true, queued: 2, posted: 0 });
    assert.deepEqual((await control('trigger', { event: 'ONTASKADD', data: {} })).body, { ok: true, queued: 0, posted: 0 }, 'nothing listens');
    const queue = (await control('queue', { clientId: 'local.test.1' })).body;
    assert.deepEqual(
      queue.map((r: Json) => [r.ID, r.EVENT_ADDITIONAL.user_id]),
      [
        [1, 1],
        [2, 0],
        [3, 0],
      ],
    );
    assert.equal((await control('handlers', {})).body[0].EVENT_NAME, 'ONCRMDEALADD');
    assert.deepEqual((await control('handlers', { clientId: 'local.none' })).body, []);
    assert.equal((await control('request-log')).body.at(-1).method, 'event.bind');
    assert.deepEqual((await control('expire-access-tokens')).body, { ok: true });
    assert.equal((await call(`${sandbox.url}/rest/`, 'event.get', { auth: tokens.access_token })).body.error, 'expired_token');
  });

  it('creates webhooks and arms faults', async () => {
    const { url } = (await control('create-webhook', { userId: 2 })).body;
    assert.equal((await call(url, 'user.admin')).body.result, false);
    assert.deepEqual((await control('inject-fault', { kind: 'error', status: 503, error: 'QUERY_LIMIT_EXCEEDED', method: 'scope' })).body, { ok: true });
    assert.equal((await call(url, 'scope')).body.error, 'QUERY_LIMIT_EXCEEDED');
  });

  it('trigger counts the POSTs really sent and the queue rows really added', async () => {
    const app = (await control('create-app', { scopes: ['crm'], clientId: 'local.count.1' })).body;
    const { access_token: auth } = (await control('issue-tokens', { clientId: app.clientId, userId: 1 })).body;
    const hook = await receiver();
    try {
      const bind = (params: Record<string, unknown>) => call(`${sandbox.url}/rest/`, 'event.bind', { auth, event: 'ONCRMLEADADD', ...params });
      await bind({ handler: hook.url });
      await bind({ handler: 'https://hooks.example.com/b24' }); // bound, but the sandbox never POSTs off this machine
      await bind({ event_type: 'offline' });
      await bind({ event_type: 'offline', auth_connector: 'sync' }); // one app, two queues: two rows
      const lead = { FIELDS: { ID: '7' } };
      const twice = {
        items: [
          { event: 'ONCRMLEADADD', data: lead },
          { event: 'ONCRMLEADADD', data: lead },
        ],
      };
      assert.deepEqual((await control('trigger', twice)).body, { ok: true, queued: 2, posted: 1 }, 'the repeat coalesces and is POSTed once');
      await waitFor(() => hook.posts.length === 1);
      const again = (await control('trigger', { event: 'ONCRMLEADADD', data: lead })).body;
      assert.deepEqual(again, { ok: true, queued: 0, posted: 1 }, 'the waiting copies are refreshed, no row is added');
      assert.equal((await control('queue', { clientId: app.clientId })).body.length, 2);
      await waitFor(() => hook.posts.length === 2);
    } finally {
      await hook.close();
    }
  });

  it('a bad trigger body names the field that is wrong', async () => {
    const errorOf = async (body: unknown): Promise<string> => {
      const reply = await control('trigger', body);
      assert.equal(reply.status, 400);
      return reply.body.error;
    };
    assert.match(await errorOf({ data: {} }), /^event: /);
    assert.match(await errorOf({ event: 'ONCRMDEALADD', data: {}, userId: 'a' }), /^userId: /);
    assert.match(
      await errorOf({
        items: [
          { event: 'ONCRMDEALADD', data: {} },
          { event: 1, data: {} },
        ],
      }),
      /^items\.1\.event: /,
    );
    assert.match(await errorOf({ items: 'x' }), /^items: /);
    assert.match(await errorOf([]), /^body: /);
  });

  it('rejects unknown actions, bad bodies and GET', async () => {
    assert.equal((await control('nope')).status, 404);
    const bad = await control('inject-fault', { kind: 'explode' });
    assert.equal(bad.status, 400);
    assert.equal(typeof bad.body.error, 'string');
    assert.equal((await control('issue-tokens', { clientId: 'local.none', userId: 1 })).status, 400);
    assert.equal((await fetch(`${sandbox.url}/_sandbox/request-log`)).status, 405);
  });

  it('seedDemo installs a crm/task/user/calendar app for the admin', async () => {
    const { app, tokens } = seedDemo(sandbox);
    assert.deepEqual([app.scopes, tokens.user_id, tokens.scope], [['crm', 'task', 'user', 'calendar'], 1, 'crm,task,user,calendar']);
    assert.equal((await call(`${sandbox.url}/rest/`, 'user.admin', { auth: tokens.access_token })).body.result, true);
  });
});

describe('sandbox options', () => {
  it('refuses to bind anywhere but loopback', async () => {
    await assert.rejects(startSandbox({ host: '0.0.0.0' }), /loopback only/);
  });
});

describe('sandbox restart', () => {
  it('suspend refuses connections, resume listens on the same port with the state kept', async () => {
    const sandbox = await startSandbox({ rateLimit: false });
    try {
      const { tokens } = seedDemo(sandbox);
      const rest = `${sandbox.url}/rest/`;
      assert.equal((await call(rest, 'event.bind', { auth: tokens.access_token, event: 'ONCRMDEALADD', event_type: 'offline' })).status, 200);
      await sandbox.suspend();
      await assert.rejects(fetch(`${rest}server.time`), /fetch failed/);
      await sandbox.resume();
      const reply = await call(rest, 'event.get', { auth: tokens.access_token });
      assert.equal(reply.status, 200, 'the token issued before the restart still works');
      assert.deepEqual(reply.body.result, [{ event: 'ONCRMDEALADD', connector_id: '', offline: 1 }]);
    } finally {
      await sandbox.close();
    }
  });
});
