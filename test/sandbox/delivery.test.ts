import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, setup } from './helpers.js';
import { receiver, waitFor, type Receiver } from './receiver.js';

describe('sandbox online delivery', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  let hook: Receiver;
  before(async () => {
    ctx = await setup();
    hook = await receiver();
  });
  after(async () => {
    await ctx.sandbox.close();
    await hook.close();
  });

  it('POSTs a form-encoded payload with bracket keys and the acting user tokens', async () => {
    await ctx.admin('event.bind', { event: 'ONCRMDEALADD', handler: hook.url });
    ctx.sandbox.trigger('ONCRMDEALADD', { FIELDS: { ID: '7' } }, { userId: 2 });
    await waitFor(() => hook.posts.length === 1);
    const post = hook.posts[0] ?? new URLSearchParams();
    assert.equal(post.get('event'), 'ONCRMDEALADD');
    assert.equal(post.get('data[FIELDS][ID]'), '7');
    assert.match(post.get('ts') ?? '', /^\d{10}$/);
    assert.ok(Number(post.get('event_handler_id')) > 0);
    assert.equal(post.get('auth[application_token]'), ctx.app.applicationToken);
    assert.equal(post.get('auth[member_id]'), ctx.sandbox.memberId);
    assert.equal(post.get('auth[client_endpoint]'), `${ctx.sandbox.url}/rest/`);
    assert.equal(post.get('auth[refresh_token]'), null);
    const profile = await call(`${ctx.sandbox.url}/rest/`, 'profile', { auth: post.get('auth[access_token]') });
    assert.equal(profile.body.result.ID, '2');
  });

  it('sends ONAPPTEST with the request parameters from event.test', async () => {
    hook.posts.length = 0;
    await ctx.admin('event.bind', { event: 'ONAPPTEST', handler: hook.url });
    assert.equal((await ctx.admin('event.test', { any: 'value' })).body.result, 1);
    await waitFor(() => hook.posts.length === 1);
    assert.equal(hook.posts[0]?.get('event'), 'ONAPPTEST');
    assert.equal(hook.posts[0]?.get('data[QUERY][any]'), 'value');
    assert.equal(hook.posts[0]?.get('data[QUERY][auth]'), null);
  });

  it('notifies ONOFFLINEEVENT at most once per minTimeout, with a refresh token and no data', async () => {
    hook.posts.length = 0;
    await ctx.admin('event.bind', { event: 'ONCRMLEADADD', event_type: 'offline' });
    await ctx.admin('event.bind', { event: 'ONOFFLINEEVENT', handler: hook.url, options: { minTimeout: 60 } });
    ctx.sandbox.trigger('ONCRMLEADADD', { FIELDS: { ID: '1' } }, { userId: 1 });
    ctx.sandbox.trigger('ONCRMLEADADD', { FIELDS: { ID: '2' } }, { userId: 1 });
    await waitFor(() => hook.posts.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(hook.posts.length, 1);
    const post = hook.posts[0] ?? new URLSearchParams();
    assert.equal(post.get('event'), 'ONOFFLINEEVENT');
    assert.ok(post.get('auth[refresh_token]'));
    assert.equal(
      [...post.keys()].some((key) => key.startsWith('data')),
      false,
    );
  });
});
