// Where the server module's code and the docs disagree, the sandbox follows the code (reference
// docs/bitrix24-events-api.md §10, read from the module). Each deviation is asserted
// here and listed in src/sandbox/README.md with both sources.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { callForm, errorOf, setup, type Json } from '../sandbox/helpers.js';
import { fixture } from './fixtures.js';

describe('conformance: deliberate deviations from the docs (server code wins)', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    ctx = await setup();
  });
  after(() => ctx.sandbox.close());

  it('insufficient_scope is HTTP 401 (code), not 403 (docs _includes/system-errors.md)', async () => {
    const app = ctx.sandbox.createApp({ scopes: ['crm'] });
    const token = ctx.sandbox.issueTokens(app.clientId, 1).access_token;
    const reply = await callForm(`${ctx.sandbox.url}/rest/`, 'user.current', `auth=${token}`);
    assert.deepEqual(errorOf(reply).slice(0, 2), [401, 'insufficient_scope']);
  });

  it('a non-admin’s event.unbind auth_type must be the strictly equal integer own id (docs: 0 or empty is fine)', async () => {
    const handler = 'https://handler.example.com/b24';
    assert.equal((await ctx.user('event.bind', { event: 'ONCRMDEALADD', handler })).status, 200);
    const tokens = ctx.sandbox.issueTokens(ctx.app.clientId, 2);
    const form = await callForm(`${ctx.sandbox.url}/rest/`, 'event.unbind', `auth=${tokens.access_token}&event=ONCRMDEALADD&handler=${handler}&auth_type=2`);
    assert.deepEqual(errorOf(form).slice(0, 2), [403, 'ACCESS_DENIED'], 'form-encoded "2" is a string: !== 2');
    assert.equal((await ctx.user('event.unbind', { event: 'ONCRMDEALADD', handler, auth_type: 0 })).status, 403, 'docs say auth_type=0 may be sent');
    assert.deepEqual((await ctx.user('event.unbind', { event: 'ONCRMDEALADD', handler, auth_type: 2 })).body.result, { count: 1 });
  });

  it('event.unbind without parameters is ERROR_ARGUMENT (docs: deletes every handler)', async () => {
    assert.deepEqual(errorOf(await ctx.admin('event.unbind')), [400, 'ERROR_ARGUMENT', "Argument 'EVENT' is null or empty"]);
  });

  it('queue rows keep EVENT_ADDITIONAL {user_id} (code rewrites it so) where the docs examples show false', async () => {
    await ctx.admin('event.bind', { event: 'ONCRMLEADADD', event_type: 'offline' });
    ctx.sandbox.trigger('ONCRMLEADADD', { FIELDS: { ID: '1' } }, { userId: 1 });
    const row: Json = (await ctx.admin('event.offline.list')).body.result[0];
    const documented: Json = (fixture('methods/event.offline.list.json').examples as Json[])[0].json.result[0];
    assert.equal(documented.EVENT_ADDITIONAL, false);
    assert.deepEqual(row.EVENT_ADDITIONAL, { user_id: '1' });
  });

  it('every success carries time (the SDK needs it) with operating_reset_at, where method examples omit them', async () => {
    const documented: Json = (fixture('methods/event.offline.clear.json').examples as Json[])[0].json;
    assert.equal(documented.time.operating_reset_at, undefined);
    const reply = await ctx.admin('events', { SCOPE: 'user' });
    assert.equal(typeof reply.body.time.operating_reset_at, 'number');
    assert.equal(reply.body.time.operating, 0);
  });

  it('token replies and deliveries name the sandbox as server_endpoint (real: https://oauth.bitrix.info/rest/), so refreshes reach it', () => {
    const tokens = ctx.sandbox.issueTokens(ctx.app.clientId, 1);
    assert.equal(tokens.server_endpoint, `${ctx.sandbox.url}/rest/`);
    assert.equal(fixture('methods/oauth.token.refresh_token.json').examples[0].json.server_endpoint, 'https://oauth.bitrix.info/rest/');
  });
});
