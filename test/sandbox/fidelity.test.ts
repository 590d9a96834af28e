// Where the sandbox was measured against sources nobody here wrote (the official JS SDK, the REST
// docs, the server module, a captured real delivery) and made to agree: one test per difference.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, client, errorOf, setup, type Json } from './helpers.js';
import { receiver, waitFor } from './receiver.js';

describe('sandbox fidelity', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    ctx = await setup();
  });
  after(() => ctx.sandbox.close());

  it('answers /rest//method as /rest/method (the SDK joins client_endpoint "…/rest/" and "/method")', async () => {
    const tokens = ctx.sandbox.issueTokens(ctx.app.clientId, 1);
    const reply = await call(`${tokens.client_endpoint}/`, 'profile', { auth: tokens.access_token });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.result.ID, '1');
    const webhook = ctx.sandbox.createWebhook(1);
    assert.equal((await call(`${webhook}/`, 'profile')).body.result.ID, '1');
  });

  it('issues 70-hex OAuth tokens whose first 8 hex digits are the expiry, little-endian, like real ones', () => {
    const tokens = ctx.sandbox.issueTokens(ctx.app.clientId, 1);
    for (const token of [tokens.access_token, tokens.refresh_token]) assert.match(token, /^[0-9a-f]{70}$/);
    assert.equal(Buffer.from(tokens.access_token.slice(0, 8), 'hex').readUInt32LE(), tokens.expires);
    assert.ok(Buffer.from(tokens.refresh_token.slice(0, 8), 'hex').readUInt32LE() > tokens.expires);
  });

  it('reads multipart/form-data bodies with PHP bracket names (what PHP curl sends for an array)', async () => {
    const tokens = ctx.sandbox.issueTokens(ctx.app.clientId, 1);
    const form = new FormData();
    form.append('auth', tokens.access_token);
    form.append('event', 'ONCRMLEADADD');
    form.append('event_type', 'offline');
    form.append('options[minTimeout]', '5');
    const response = await fetch(`${ctx.sandbox.url}/rest/event.bind`, { method: 'POST', body: form });
    assert.equal(response.status, 200, await response.clone().text());
    assert.deepEqual(((await ctx.admin('event.get')).body.result as Json[]).at(-1), { event: 'ONCRMLEADADD', connector_id: '', offline: 1 });
    const bad = new FormData();
    bad.append('auth', 'nope');
    const refused = await fetch(`${ctx.sandbox.url}/rest/event.get`, { method: 'POST', body: bad });
    assert.deepEqual([refused.status, ((await refused.json()) as Json).error], [401, 'NO_AUTH_FOUND']);
  });

  it('returns EVENT_DATA false for rows whose data is empty, as real rows do; EVENT_ADDITIONAL stays {user_id}', async () => {
    await ctx.admin('event.bind', { event: 'ONCRMDEALDELETE', event_type: 'offline' });
    for (const data of [null, [], {}]) ctx.sandbox.trigger('ONCRMDEALDELETE', data, { userId: 1 });
    ctx.sandbox.trigger('ONCRMDEALDELETE', { FIELDS: { ID: '5' } });
    const rows: Json[] = (await ctx.admin('event.offline.list', { filter: { EVENT_NAME: 'ONCRMDEALDELETE' } })).body.result;
    assert.deepEqual(
      rows.map((row) => [row.EVENT_DATA, row.EVENT_ADDITIONAL]),
      [
        [false, { user_id: '1' }],
        [false, { user_id: '1' }],
        [{ FIELDS: { ID: '5' } }, { user_id: '0' }],
      ],
      'null and [] / {} are one message (same json), so two rows; deviation: EVENT_ADDITIONAL keeps {user_id} (server code)',
    );
    const got = (await ctx.admin('event.offline.get', { filter: { EVENT_NAME: 'ONCRMDEALDELETE' }, clear: 1 })).body.result.events as Json[];
    assert.equal(got[0].EVENT_DATA, false);
  });

  it('event.offline.clear: message_id wins over id (server code; the docs say id wins) — deviation', async () => {
    await ctx.admin('event.bind', { event: 'ONCRMCOMPANYADD', event_type: 'offline' });
    ctx.sandbox.triggerMany([1, 2, 3].map((id) => ({ event: 'ONCRMCOMPANYADD', data: { FIELDS: { ID: String(id) } } })));
    const batch = (await ctx.admin('event.offline.get', { filter: { EVENT_NAME: 'ONCRMCOMPANYADD' }, clear: 0 })).body.result;
    const [first, second, third] = batch.events as Json[];
    await ctx.admin('event.offline.clear', { process_id: batch.process_id, id: [Number(first.ID)], message_id: [second.MESSAGE_ID] });
    const left = async (): Promise<string[]> =>
      ((await ctx.admin('event.offline.list', { filter: { EVENT_NAME: 'ONCRMCOMPANYADD' } })).body.result as Json[]).map((row) => row.ID);
    assert.deepEqual(await left(), [first.ID, third.ID], 'the message id was deleted, the id ignored');
    // isset($query['message_id']) takes the message branch even for an empty list: the whole batch goes.
    await ctx.admin('event.offline.clear', { process_id: batch.process_id, id: [Number(first.ID)], message_id: [] });
    assert.deepEqual(await left(), []);
  });

  it('ONOFFLINEEVENT with minTimeout=0 is sent once per portal request, not once per queued event', async () => {
    const hook = await receiver();
    try {
      await ctx.admin('event.bind', { event: 'ONTASKADD', event_type: 'offline' });
      await ctx.admin('event.bind', { event: 'ONOFFLINEEVENT', handler: hook.url, options: { minTimeout: 0 } });
      const items = [1, 2, 3].map((id) => ({ event: 'ONTASKADD', data: { FIELDS_AFTER: { ID: id } }, userId: 1 }));
      const done = await fetch(`${ctx.sandbox.url}/_sandbox/trigger`, { method: 'POST', body: JSON.stringify({ items }) });
      assert.deepEqual(await done.json(), { ok: true, queued: 3, posted: 0 });
      await waitFor(() => hook.posts.length >= 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(hook.posts.length, 1);
      ctx.sandbox.trigger('ONTASKADD', { FIELDS_AFTER: { ID: 4 } }, { userId: 1 });
      await waitFor(() => hook.posts.length === 2);
    } finally {
      await hook.close();
    }
  });

  it('binds every documented event of the docs example, e.g. ONCRMDEALMOVETOCATEGORY, ONCRMPRODUCTADD, ONCRMQUOTEADD', async () => {
    const admin = client(ctx.sandbox, ctx.sandbox.issueTokens(ctx.app.clientId, 1));
    for (const event of ['ONCRMDEALMOVETOCATEGORY', 'ONCRMPRODUCTADD', 'ONCRMQUOTEADD', 'ONCRMINVOICEADD']) {
      assert.equal((await admin('event.bind', { event, event_type: 'offline' })).body.result, true, event);
    }
    assert.deepEqual(errorOf(await admin('event.bind', { event: 'ONCRMDEALADDD', event_type: 'offline' })), [400, 'ERROR_EVENT_NOT_FOUND', 'Event not found']);
  });
});
