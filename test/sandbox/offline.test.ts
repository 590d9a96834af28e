import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { errorOf, setup, type Json } from './helpers.js';

type Ctx = Awaited<ReturnType<typeof setup>>;

const deal = (id: number): { FIELDS: { ID: string } } => ({ FIELDS: { ID: String(id) } });
const messageId = (event: string, data: unknown): string =>
  createHash('md5')
    .update(`${event}|${JSON.stringify(data)}`)
    .digest('hex');

async function subscribe(ctx: Ctx, event = 'ONCRMDEALUPDATE', connector?: string): Promise<void> {
  const reply = await ctx.admin('event.bind', { event, event_type: 'offline', ...(connector === undefined ? {} : { auth_connector: connector }) });
  assert.equal(reply.body.result, true);
}

async function listAll(ctx: Ctx, params: Record<string, unknown> = {}): Promise<Json[]> {
  return (await ctx.admin('event.offline.list', params)).body.result;
}

function triggerDeals(ctx: Ctx, ids: number[]): void {
  for (const id of ids) ctx.sandbox.trigger('ONCRMDEALUPDATE', deal(id), { userId: 1 });
}

describe('sandbox offline queue: writing', () => {
  let ctx: Ctx;
  beforeEach(async () => {
    ctx = await setup();
    await subscribe(ctx);
  });
  afterEach(() => ctx.sandbox.close());

  it('coalesces unreserved repeats into one row keeping its ID and moves it to the back', async () => {
    ctx.sandbox.trigger('ONCRMDEALUPDATE', deal(1), { userId: 1 });
    ctx.sandbox.trigger('ONCRMDEALUPDATE', deal(2), { userId: 1 });
    ctx.sandbox.trigger('onCrmDealUpdate', deal(1), { userId: 2 });
    const rows = await listAll(ctx);
    assert.deepEqual(
      rows.map((r) => [r.ID, r.EVENT_DATA.FIELDS.ID, r.EVENT_ADDITIONAL.user_id]),
      [
        ['1', '1', '2'],
        ['2', '2', '1'],
      ],
    );
    assert.equal(rows[0].MESSAGE_ID, messageId('ONCRMDEALUPDATE', deal(1)));
    assert.deepEqual([rows[0].PROCESS_ID, rows[0].ERROR], ['', '0']);
    assert.match(rows[0].TIMESTAMP_X, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    const got = await ctx.admin('event.offline.get', { clear: 0 });
    assert.deepEqual(
      got.body.result.events.map((e: Json) => e.ID),
      ['2', '1'],
    );
    assert.equal('PROCESS_ID' in got.body.result.events[0], false);
  });

  it('adds a new row when the only copy is reserved', async () => {
    triggerDeals(ctx, [1]);
    const { process_id: processId } = (await ctx.admin('event.offline.get', { clear: 0 })).body.result;
    triggerDeals(ctx, [1]);
    const rows = await listAll(ctx);
    assert.deepEqual(
      rows.map((r) => [r.ID, r.PROCESS_ID]),
      [
        ['1', processId],
        ['2', ''],
      ],
    );
  });

  it('skips the initiating app with the same connector only', async () => {
    await subscribe(ctx, 'ONCRMDEALUPDATE', 'sync');
    const other = ctx.sandbox.createApp({ scopes: ['crm'] });
    const otherTokens = ctx.sandbox.issueTokens(other.clientId, 1);
    await fetch(`${ctx.sandbox.url}/rest/event.bind`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: otherTokens.access_token, event: 'ONCRMDEALUPDATE', event_type: 'offline' }),
    });
    ctx.sandbox.trigger('ONCRMDEALUPDATE', deal(9), { userId: 1, fromClientId: ctx.app.clientId });
    assert.equal((await listAll(ctx)).length, 0);
    assert.equal((await listAll(ctx, { auth_connector: 'sync' })).length, 1);
    assert.equal(ctx.sandbox.queue(other.clientId).length, 1);
    ctx.sandbox.trigger('ONCRMDEALUPDATE', deal(9), { userId: 1, fromClientId: ctx.app.clientId, connector: 'sync' });
    assert.equal((await listAll(ctx)).length, 1);
    assert.equal(ctx.sandbox.queue().length, 3);
  });

  it('queues nothing for events without an offline subscription', () => {
    ctx.sandbox.trigger('ONCRMLEADADD', deal(1), { userId: 1 });
    assert.deepEqual(ctx.sandbox.queue(), []);
  });
});

describe('sandbox offline queue: event.offline.get', () => {
  let ctx: Ctx;
  beforeEach(async () => {
    ctx = await setup();
    await subscribe(ctx);
    triggerDeals(ctx, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
  afterEach(() => ctx.sandbox.close());

  it('hands out disjoint reservations under fresh 32-character process ids', async () => {
    const first = (await ctx.admin('event.offline.get', { clear: 0, limit: 4 })).body.result;
    const second = (await ctx.admin('event.offline.get', { clear: 0, limit: 4 })).body.result;
    const third = (await ctx.admin('event.offline.get', { clear: 0, limit: 4 })).body.result;
    const empty = (await ctx.admin('event.offline.get', { clear: 0 })).body.result;
    assert.match(first.process_id, /^[a-z0-9]{32}$/);
    assert.equal(new Set([first.process_id, second.process_id, third.process_id, empty.process_id]).size, 4);
    const ids = (r: Json): string[] => r.events.map((e: Json) => e.ID);
    assert.deepEqual([ids(first), ids(second), ids(third), ids(empty)], [['1', '2', '3', '4'], ['5', '6', '7', '8'], ['9', '10'], []]);
    assert.equal((await listAll(ctx)).filter((r) => r.PROCESS_ID === first.process_id).length, 4);
  });

  it('deletes what it returns by default and answers process_id null', async () => {
    const reply = await ctx.admin('event.offline.get', { limit: 3 });
    assert.equal(reply.body.result.process_id, null);
    assert.equal(reply.body.result.events.length, 3);
    assert.deepEqual(
      (await listAll(ctx)).map((r) => r.ID),
      ['4', '5', '6', '7', '8', '9', '10'],
    );
  });

  it('re-reads a batch with process_id, and with the default clear=1 deletes all of it', async () => {
    const { process_id: pid } = (await ctx.admin('event.offline.get', { clear: 0, limit: 5 })).body.result;
    const safe = (await ctx.admin('event.offline.get', { process_id: pid, clear: 0, limit: 2 })).body.result;
    assert.deepEqual([safe.process_id, safe.events.map((e: Json) => e.ID)], [pid, ['1', '2']]);
    assert.equal((await listAll(ctx)).length, 10);
    const trap = (await ctx.admin('event.offline.get', { process_id: pid, limit: 2 })).body.result;
    assert.deepEqual([trap.process_id, trap.events.length], [pid, 2]);
    assert.deepEqual(
      (await listAll(ctx)).map((r) => r.ID),
      ['6', '7', '8', '9', '10'],
    );
  });

  it('with an empty process_id reads unreserved rows and clear=1 deletes every one of them', async () => {
    await ctx.admin('event.offline.get', { clear: 0, limit: 2 });
    const reply = (await ctx.admin('event.offline.get', { process_id: ' ', limit: 1 })).body.result;
    assert.deepEqual([reply.process_id, reply.events.map((e: Json) => e.ID)], ['', ['3']]);
    assert.deepEqual(
      (await listAll(ctx)).map((r) => r.ID),
      ['1', '2'],
    );
  });

  it('filters and orders, including the undocumented @ and % operators', async () => {
    const get = async (params: Record<string, unknown>): Promise<string[]> =>
      (await ctx.admin('event.offline.get', { clear: 0, ...params })).body.result.events.map((e: Json) => e.ID);
    assert.deepEqual(await get({ filter: { '>ID': 8 } }), ['9', '10']);
    assert.deepEqual(await get({ filter: { '@ID': [2, 4] } }), ['2', '4']);
    assert.deepEqual(await get({ order: { ID: 'DESC' }, limit: 2 }), ['8', '7']); // 9, 10, 2, 4 are reserved by now
    assert.deepEqual(await get({ filter: { '%EVENT_NAME': 'dealupd', '<=ID': 5 } }), ['1', '3', '5']);
    assert.deepEqual(await get({ filter: { '=EVENT_NAME': 'ONCRMLEADADD' } }), []);
  });

  it('refuses malformed limits, filters and orders with exact messages', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ limit: 0 }, 'Value must be positive integer'],
      [{ limit: -5 }, 'Value must be positive integer'],
      [{ filter: 'ID' }, 'The filter is not an array.'],
      [{ filter: { FOO: 1 } }, 'Filter field not allowed: FOO'],
      [{ filter: { PROCESS_ID: '' } }, 'Filter field not allowed: PROCESS_ID'],
      [{ filter: { '!ID': 1 } }, 'Filter operation not allowed: !'],
      [{ filter: { '>ID': [1] } }, "The value of an argument '>ID' has an invalid type"],
      [{ order: 'ID' }, 'The order is not an array.'],
      [{ order: { ERROR: 'ASC' } }, 'Order field not allowed: ERROR'],
      [{ order: { ID: 'UP' } }, 'Order direction should be one of {ASC|DESC}'],
    ];
    for (const [params, message] of cases) {
      assert.deepEqual(errorOf(await ctx.admin('event.offline.get', params)), [400, 'ERROR_ARGUMENT', message], message);
    }
    assert.equal((await ctx.admin('event.offline.get', { limit: 0 })).body.argument, 'LIMIT');
    assert.equal((await listAll(ctx)).length, 10);
  });

  it('is admin-only for all four queue methods', async () => {
    for (const method of ['event.offline.get', 'event.offline.list', 'event.offline.clear', 'event.offline.error']) {
      assert.deepEqual(errorOf(await ctx.user(method, { process_id: 'x', message_id: [] })), [403, 'ACCESS_DENIED', 'Access denied!'], method);
    }
  });
});

describe('sandbox offline queue: plan without rest_offline_extended', () => {
  it('refuses clear=0 with WRONG_LICENSE but serves clear=1', async () => {
    const ctx = await setup({ features: { rest_offline_extended: false } });
    try {
      await subscribe(ctx);
      triggerDeals(ctx, [1]);
      const refused = await ctx.admin('event.offline.get', { clear: 0 });
      assert.deepEqual(errorOf(refused), [403, 'WRONG_LICENSE', 'This feature is not enabled for the current license: extended offline events handling']);
      assert.equal((await ctx.admin('event.offline.get')).body.result.events.length, 1);
      assert.deepEqual((await ctx.admin('feature.get', { CODE: 'rest_offline_extended' })).body.result, { value: 'N' });
    } finally {
      await ctx.sandbox.close();
    }
  });
});
