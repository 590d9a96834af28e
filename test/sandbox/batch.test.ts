import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { callForm, setup } from './helpers.js';

describe('sandbox batch', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    ctx = await setup();
  });
  after(() => ctx.sandbox.close());

  it('runs at most 50 commands; each extra one fails on its own and the call succeeds', async () => {
    const cmd = Object.fromEntries(Array.from({ length: 52 }, (_, i) => [`c${i}`, 'user.admin']));
    const reply = await ctx.admin('batch', { cmd });
    assert.equal(reply.status, 200);
    assert.equal(Object.keys(reply.body.result.result).length, 50);
    assert.deepEqual(reply.body.result.result_error, {
      c50: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' },
      c51: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' },
    });
    assert.deepEqual(reply.body.result.result_total, []);
    assert.deepEqual(ctx.sandbox.requestLog().at(-1)?.method, 'batch');
  });

  it('refuses nested batch, reports unknown methods and stops at the first error with halt', async () => {
    const cmd = { a: 'user.admin', b: 'batch?cmd[x]=scope', c: 'no.such', d: 'scope' };
    const all = (await ctx.admin('batch', { cmd })).body.result;
    assert.deepEqual(Object.keys(all.result), ['a', 'd']);
    assert.equal(all.result_error.b.error, 'ERROR_BATCH_METHOD_NOT_ALLOWED');
    assert.equal(all.result_error.c.error, 'ERROR_METHOD_NOT_FOUND');
    const halted = (await ctx.admin('batch', { cmd, halt: 1 })).body.result;
    assert.deepEqual([Object.keys(halted.result), Object.keys(halted.result_error)], [['a'], ['b']]);
  });

  it('serialises array commands as lists and empty maps as []', async () => {
    const reply = (await ctx.admin('batch', { cmd: ['user.admin', 'profile'] })).body.result;
    assert.ok(Array.isArray(reply.result));
    assert.deepEqual([reply.result[0], reply.result[1].ID], [true, '1']);
    assert.deepEqual([reply.result_error, reply.result_next], [[], []]);
    assert.equal(reply.result_time.length, 2);
  });

  it('parses sub-queries with PHP brackets, runs them under the outer token and resolves $result references', async () => {
    const cmd = {
      bind: 'event.bind?event=ONCRMDEALADD&handler=https%3A%2F%2Fa.example.com%2Fh',
      get: 'event.get',
      list: 'events?scope=calendar',
      again: 'event.unbind?event=$result[get][0][event]&handler=$result[get][0][handler]',
      offline: 'event.offline.list?filter[>ID]=0',
    };
    const reply = (await ctx.admin('batch', { cmd })).body.result;
    assert.equal(reply.result.bind, true);
    assert.equal(reply.result.get[0].handler, 'https://a.example.com/h');
    assert.equal(reply.result.list.length, 3); // SCOPE lists a scope even when it is not granted
    assert.deepEqual(reply.result.again, { count: 1 });
    assert.deepEqual([reply.result.offline, reply.result_total.offline], [[], 0]);
    const denied = (await ctx.user('batch', { cmd: { q: 'event.offline.get' } })).body.result;
    assert.equal(denied.result_error.q.error, 'ACCESS_DENIED');
  });

  it('accepts a form-encoded batch with doubly encoded sub-queries', async () => {
    const tokens = ctx.sandbox.issueTokens(ctx.app.clientId, 1);
    const sub = `events?scope=${encodeURIComponent('user')}`;
    const form = `auth=${tokens.access_token}&halt=0&cmd%5Bu%5D=${encodeURIComponent(sub)}`;
    const reply = await callForm(`${ctx.sandbox.url}/rest/`, 'batch', form);
    assert.deepEqual(reply.body.result.result.u, ['ONUSERADD']);
  });
});
