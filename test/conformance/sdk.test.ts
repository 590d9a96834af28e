// The official JS SDK drives the sandbox over real HTTP: every event method, batch with halt 0 and
// 1, callList paging, refresh on expired_token, the 503 limit retried by the SDK itself. Replies
// are compared with the documented examples (test/fixtures/methods, each naming its doc page).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { B24OAuth } from '@bitrix24/b24jssdk';
import { startSandbox, type Sandbox, type SandboxApp } from '../../src/sandbox/index.js';
import { receiver, waitFor, type Receiver } from '../sandbox/receiver.js';
import { documented, fixture, type Json } from './fixtures.js';
import { call, failure, sdkClient } from './sdk.js';

const keysOf = (row: Json): string[] => Object.keys(row).sort();

describe('conformance: the official JS SDK against the sandbox', () => {
  let sandbox: Sandbox;
  let app: SandboxApp;
  let b24: B24OAuth;
  let hook: Receiver;
  before(async () => {
    sandbox = await startSandbox({ rateLimit: false });
    app = sandbox.createApp({ scopes: ['user', 'crm', 'task'] });
    ({ b24 } = sdkClient(sandbox, app));
    hook = await receiver();
  });
  after(async () => {
    await hook.close();
    await sandbox.close();
  });

  it('B24OAuth as documented reaches the portal (client_endpoint "…/rest/" + "/method") and reads ADMIN', async () => {
    const profile = await call(b24, 'profile');
    assert.equal(profile.result.ID, '1');
    await b24.initIsAdmin();
    assert.equal(b24.auth.isAdmin, true);
    assert.ok(sandbox.requestLog().some((entry) => entry.method === 'profile'));
  });

  it('events: the docs example, name for name and in order, for an app with scopes user, crm, task', async () => {
    const names: string[] = (await call(b24, 'events')).result;
    assert.deepEqual(names, fixture('events-catalogue.json').example.result);
  });

  it('event.bind / event.get / event.test / event.unbind answer like their doc pages', async () => {
    assert.deepEqual((await call(b24, 'event.bind', { event: 'ONCRMDEALMOVETOCATEGORY', handler: hook.url })).result, true);
    assert.deepEqual((await call(b24, 'event.bind', { event: 'ONAPPTEST', handler: hook.url })).result, true);
    const notFound = await failure(call(b24, 'event.bind', { event: 'ONCRMDEALADDD', handler: hook.url }));
    const docNotFound = documented('methods/event.bind.json', (json) => json.error === 'ERROR_EVENT_NOT_FOUND');
    assert.deepEqual([notFound.status, notFound.code], [400, docNotFound.error]);
    const got: Json[] = (await call(b24, 'event.get')).result;
    const docRow = (documented('methods/event.get.json', (json) => Array.isArray(json.result)).result as Json[])[0];
    assert.deepEqual(keysOf(got[0]), keysOf(docRow));
    assert.deepEqual(got[0], { event: 'ONCRMDEALMOVETOCATEGORY', handler: hook.url, auth_type: '0', offline: 0 });
    assert.equal((await call(b24, 'event.test', { any: 'data' })).result, 1);
    await waitFor(() => hook.posts.some((post) => post.get('event') === 'ONAPPTEST'));
    const test = hook.posts.find((post) => post.get('event') === 'ONAPPTEST');
    assert.equal(test?.get('data[QUERY][any]'), 'data');
    assert.equal(test?.get('data[LANGUAGE_ID]'), 'en');
    assert.deepEqual((await call(b24, 'event.unbind', { event: 'ONAPPTEST', handler: hook.url })).result, { count: 1 });
  });

  it('event.offline.get / list / error / clear: the documented fields, EVENT_DATA false when empty', async () => {
    await call(b24, 'event.bind', { event: 'ONCRMLEADADD', event_type: 'offline' });
    sandbox.triggerMany([
      { event: 'ONCRMLEADADD', data: [] },
      ...[1, 2].map((id) => ({ event: 'ONCRMLEADADD', data: { FIELDS: { ID: String(id) } }, userId: 1 })),
    ]);
    const listed = await call(b24, 'event.offline.list', { filter: { ERROR: 0 }, order: { ID: 'DESC' } });
    const docList = documented('methods/event.offline.list.json', (json) => Array.isArray(json.result));
    assert.deepEqual(keysOf(listed.result[0]), keysOf(docList.result[0]));
    assert.equal(listed.total, 3);
    assert.deepEqual(
      (listed.result as Json[]).map((row) => [row.EVENT_DATA === false, row.ERROR, row.PROCESS_ID]),
      [
        [false, '0', ''],
        [false, '0', ''],
        [true, '0', ''],
      ],
    );
    const got = (await call(b24, 'event.offline.get', { clear: 0, limit: 2 })).result;
    const docGet = documented('methods/event.offline.get.json', (json) => json.result?.events !== undefined).result;
    assert.deepEqual(keysOf(got), keysOf(docGet));
    assert.deepEqual(keysOf(got.events[0]), keysOf(docGet.events[0]));
    assert.match(got.process_id, /^[a-z0-9]{32}$/);
    assert.equal((await call(b24, 'event.offline.error', { process_id: got.process_id, message_id: [got.events[0].MESSAGE_ID] })).result, true);
    assert.equal((await call(b24, 'event.offline.clear', { process_id: got.process_id })).result, true);
    const left: Json[] = (await call(b24, 'event.offline.list')).result;
    assert.deepEqual(
      left.map((row) => row.ERROR),
      ['1', '0'],
      'the flagged row of the batch stays as an error row, the rest of the batch went, the third row is untouched',
    );
  });

  it('batch as the SDK sends it (cmd array or object), halt 1 by default and halt 0', async () => {
    const calls = [
      ['event.get', {}],
      ['event.bind', {}],
      ['events', { SCOPE: 'user' }],
    ] as [string, Record<string, unknown>][];
    const halted = await b24.actions.v2.batch.make({ calls, options: { isHaltOnError: true } });
    assert.equal(halted.isSuccess, false);
    assert.match(halted.getErrorMessages().join(), /Argument 'EVENT' is null or empty/);
    const all = await b24.actions.v2.batch.make({
      calls: { handlers: ['event.get', {}], bad: ['event.bind', {}], user: ['events', { SCOPE: 'user' }] },
      options: { isHaltOnError: false },
    });
    assert.equal(all.isSuccess, false);
    const data = all.getData() as Json;
    assert.deepEqual(data.user, ['ONUSERADD'], 'halt 0 ran the command after the failing one');
  });

  it('callList and fetchList page event.offline.list by >ID in pages of 50', async () => {
    await call(b24, 'event.bind', { event: 'ONTASKADD', event_type: 'offline' });
    sandbox.triggerMany(Array.from({ length: 120 }, (_, i) => ({ event: 'ONTASKADD', data: { FIELDS_AFTER: { ID: i + 1 } } })));
    const before = sandbox.requestLog().length;
    const all = await b24.actions.v2.callList.make({ method: 'event.offline.list', params: { filter: { EVENT_NAME: 'ONTASKADD' } } });
    assert.equal((all.getData() as Json[]).length, 120);
    assert.equal(sandbox.requestLog().length - before, 3);
    const sizes: number[] = [];
    for await (const page of b24.actions.v2.fetchList.make({ method: 'event.offline.list', params: { filter: { EVENT_NAME: 'ONTASKADD' } } })) {
      sizes.push((page as Json[]).length);
    }
    assert.deepEqual(sizes, [50, 50, 20]);
  });

  it('refreshes on expired_token through POST /oauth/token/ and goes on with 70-hex tokens; the spent refresh token is dead', async () => {
    const own = sdkClient(sandbox, app);
    sandbox.expireAccessTokens();
    assert.equal((await call(own.b24, 'event.get')).result.length > 0, true);
    assert.equal(own.refreshed.length, 1);
    assert.match(own.refreshed[0]?.accessToken ?? '', /^[0-9a-f]{70}$/);
    const reuse = await fetch(`${sandbox.url}/oauth/token/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        refresh_token: own.tokens.refresh_token,
      }),
    });
    assert.equal(((await reuse.json()) as Json).error, 'invalid_grant');
  });
});
