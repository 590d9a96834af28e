// OPERATION_TIME_LIMIT: the per-(caller, method) operating budget of docs limits.md and the server's
// LoadLimiter, shrunk and charged with simulated seconds so the limit is reached in milliseconds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { client, errorOf, setup, type Json } from './helpers.js';

describe('sandbox operating budget', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    ctx = await setup({ operating: { limitSec: 5, windowSec: 1, chargeSec: { 'event.get': 2, 'event.offline.list': 0.05 } } });
  });
  after(() => ctx.sandbox.close());

  it('reports operating 0 and a reset one window after the start while nothing was spent', async () => {
    const reply = await ctx.admin('scope');
    assert.equal(reply.body.time.operating, 0);
    assert.equal(reply.body.time.operating_reset_at, Math.floor(reply.body.time.start) + 1);
    assert.deepEqual(Object.keys(reply.body.time).slice(-2), ['operating_reset_at', 'operating'], 'key order of docs limits.md');
  });

  it('sums a method’s time per caller, blocks the next call once over the limit (429, no time), then lets it go', async () => {
    const replies = [await ctx.admin('event.get'), await ctx.admin('event.get'), await ctx.admin('event.get')];
    assert.deepEqual(
      replies.map((r) => [r.status, Math.round(r.body.time.operating)]),
      [
        [200, 2],
        [200, 4],
        [200, 6],
      ],
      'the third call still ran: the sum (4) was not over the limit before it',
    );
    const first = replies[0]?.body.time;
    const reset: number = replies[2]?.body.time.operating_reset_at;
    assert.ok(Math.abs(reset - (first.start + 1)) < 1, 'the oldest basket’s first call + the window');
    const blocked = await ctx.admin('event.get');
    assert.deepEqual(errorOf(blocked), [429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.']);
    assert.equal(blocked.body.time, undefined);
    assert.equal((await ctx.admin('events')).status, 200, 'other methods are unaffected');
    assert.equal((await ctx.user('event.get')).status, 429, 'same app: another user shares the budget');
    const other = ctx.sandbox.createApp({ scopes: ['crm'] });
    assert.equal((await client(ctx.sandbox, ctx.sandbox.issueTokens(other.clientId, 1))('event.get')).status, 200, 'other apps are unaffected');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await ctx.admin('event.get')).status, 200, 'the window rolled on');
  });

  it('does not count hits of 0.1 s or less', async () => {
    for (let i = 0; i < 3; i += 1) assert.equal((await ctx.admin('event.offline.list')).body.time.operating, 0);
  });

  it('exempts the outer batch; its sub-calls spend and are blocked per method', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const cmd = { a: 'event.get', b: 'event.get', c: 'event.get', d: 'event.get', e: 'scope' };
    const reply = await ctx.admin('batch', { cmd });
    assert.equal(reply.status, 200);
    const result: Json = reply.body.result;
    assert.deepEqual(Object.keys(result.result), ['a', 'b', 'c', 'e']);
    assert.equal(result.result_error.d.error, 'OPERATION_TIME_LIMIT');
    assert.equal(Math.round(result.result_time.c.operating), 6);
    assert.equal(reply.body.time.operating, 0, 'batch itself spends nothing');
  });
});
