import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { errorOf, setup, type Json } from './helpers.js';

type Ctx = Awaited<ReturnType<typeof setup>>;

const deal = (id: number): { FIELDS: { ID: string } } => ({ FIELDS: { ID: String(id) } });

async function fresh(count: number): Promise<Ctx> {
  const ctx = await setup();
  assert.equal((await ctx.admin('event.bind', { event: 'ONCRMDEALUPDATE', event_type: 'offline' })).body.result, true);
  for (let id = 1; id <= count; id += 1) ctx.sandbox.trigger('ONCRMDEALUPDATE', deal(id), { userId: 1 });
  return ctx;
}

async function reserve(ctx: Ctx, limit: number): Promise<{ pid: string; events: Json[] }> {
  const { process_id: pid, events } = (await ctx.admin('event.offline.get', { clear: 0, limit })).body.result;
  return { pid, events };
}

async function rows(ctx: Ctx, params: Record<string, unknown> = {}): Promise<[string, string, string][]> {
  const result: Json[] = (await ctx.admin('event.offline.list', params)).body.result;
  return result.map((r) => [r.ID, r.PROCESS_ID === '' ? '' : 'reserved', r.ERROR]);
}

describe('sandbox offline queue: event.offline.clear', () => {
  let ctx: Ctx;
  beforeEach(async () => {
    ctx = await fresh(6);
  });
  afterEach(() => ctx.sandbox.close());

  it('deletes by message_id, which wins over id, within the batch only', async () => {
    const { pid, events } = await reserve(ctx, 3);
    const reply = await ctx.admin('event.offline.clear', { process_id: pid, message_id: [events[1].MESSAGE_ID], id: [1] });
    assert.equal(reply.body.result, true);
    assert.deepEqual(
      (await rows(ctx)).map((r) => r[0]),
      ['1', '3', '4', '5', '6'],
    );
  });

  it('deletes by id, then the whole batch when no ids are given', async () => {
    const { pid } = await reserve(ctx, 3);
    await ctx.admin('event.offline.clear', { process_id: pid, id: ['1', 5] });
    assert.deepEqual(
      (await rows(ctx)).map((r) => r[0]),
      ['2', '3', '4', '5', '6'],
    );
    await ctx.admin('event.offline.clear', { process_id: pid, message_id: [] });
    assert.deepEqual(
      (await rows(ctx)).map((r) => r[0]),
      ['4', '5', '6'],
    );
  });

  it('deletes nothing for another connector or a foreign batch, still answering true', async () => {
    const { pid } = await reserve(ctx, 3);
    assert.equal((await ctx.admin('event.offline.clear', { process_id: pid, auth_connector: 'other' })).body.result, true);
    assert.equal((await ctx.admin('event.offline.clear', { process_id: 'x'.repeat(32) })).body.result, true);
    assert.equal((await rows(ctx)).length, 6);
  });

  it('with an empty process_id deletes every unreserved row', async () => {
    await reserve(ctx, 2);
    await ctx.admin('event.offline.clear', { process_id: '' });
    assert.deepEqual(await rows(ctx), [
      ['1', 'reserved', '0'],
      ['2', 'reserved', '0'],
    ]);
  });

  it('validates its arguments with the server messages and argument names', async () => {
    const check = async (params: Record<string, unknown>, message: string, argument: string): Promise<void> => {
      const reply = await ctx.admin('event.offline.clear', params);
      assert.deepEqual([...errorOf(reply), reply.body.argument], [400, 'ERROR_ARGUMENT', message, argument]);
    };
    await check({}, "Argument 'PROCESS_ID' is null or empty", 'PROCESS_ID');
    await check({ process_id: 'p', message_id: 'abc' }, 'Value must be array of MESSAGE_ID values', 'message_id');
    await check({ process_id: 'p', message_id: ['short'] }, 'Value must be array of MESSAGE_ID values', 'messsage_id');
    await check({ process_id: 'p', id: [0] }, 'Value must be array of integers', 'id');
    await check({ process_id: 'p', id: 'x' }, 'Value must be array of integers', 'id');
    assert.equal((await rows(ctx)).length, 6);
  });
});

describe('sandbox offline queue: event.offline.error', () => {
  let ctx: Ctx;
  beforeEach(async () => {
    ctx = await fresh(3);
  });
  afterEach(() => ctx.sandbox.close());

  it('releases flagged rows as unreserved ERROR=1 rows and deletes newer unflagged copies', async () => {
    const { pid, events } = await reserve(ctx, 2);
    ctx.sandbox.trigger('ONCRMDEALUPDATE', deal(1), { userId: 2 }); // a change arriving mid-processing: new row 4
    assert.deepEqual(await rows(ctx), [
      ['1', 'reserved', '0'],
      ['2', 'reserved', '0'],
      ['3', '', '0'],
      ['4', '', '0'],
    ]);
    assert.equal((await ctx.admin('event.offline.error', { process_id: pid, message_id: [events[0].MESSAGE_ID] })).body.result, true);
    assert.deepEqual(await rows(ctx), [
      ['1', '', '1'],
      ['2', 'reserved', '0'],
      ['3', '', '0'],
    ]);
    await ctx.admin('event.offline.clear', { process_id: pid });
    assert.deepEqual(await rows(ctx), [
      ['1', '', '1'],
      ['3', '', '0'],
    ]);

    const normal = (await ctx.admin('event.offline.get', { clear: 0 })).body.result.events.map((e: Json) => e.ID);
    assert.deepEqual(normal, ['3']);
    ctx.sandbox.trigger('ONCRMDEALUPDATE', deal(1), { userId: 1 }); // repeats refresh the error row, which stays flagged
    const flagged = (await ctx.admin('event.offline.get', { error: 1, clear: 0 })).body.result.events;
    assert.deepEqual(
      flagged.map((e: Json) => [e.ID, e.EVENT_ADDITIONAL.user_id]),
      [['1', '1']],
    );
  });

  it('with a foreign process_id flags nothing but deletes unflagged copies elsewhere', async () => {
    const { events } = await reserve(ctx, 1);
    ctx.sandbox.trigger('ONCRMDEALUPDATE', deal(1), { userId: 1 });
    await ctx.admin('event.offline.error', { process_id: 'f'.repeat(32), message_id: [events[0].MESSAGE_ID] });
    assert.deepEqual(await rows(ctx), [
      ['2', '', '0'],
      ['3', '', '0'],
    ]);
  });

  it('with an empty process_id flags unreserved copies and removes batch copies', async () => {
    const { events } = await reserve(ctx, 1);
    ctx.sandbox.trigger('ONCRMDEALUPDATE', deal(1), { userId: 1 });
    await ctx.admin('event.offline.error', { process_id: '', message_id: [events[0].MESSAGE_ID] });
    assert.deepEqual(await rows(ctx), [
      ['2', '', '0'],
      ['3', '', '0'],
      ['4', '', '1'],
    ]);
  });

  it('requires process_id and a message_id array; an empty array does nothing', async () => {
    assert.deepEqual(errorOf(await ctx.admin('event.offline.error', { message_id: [] })), [400, 'ERROR_ARGUMENT', "Argument 'PROCESS_ID' is null or empty"]);
    assert.deepEqual(errorOf(await ctx.admin('event.offline.error', { process_id: 'p' })), [400, 'ERROR_ARGUMENT', 'Value must be array of MESSAGE_ID values']);
    assert.equal((await ctx.admin('event.offline.error', { process_id: 'p', message_id: [] })).body.result, true);
    assert.equal((await rows(ctx)).length, 3);
  });
});

describe('sandbox offline queue: event.offline.list', () => {
  let ctx: Ctx;
  beforeEach(async () => {
    ctx = await fresh(120);
  });
  afterEach(() => ctx.sandbox.close());

  it('pages by 50 with top-level next and total', async () => {
    const first = (await ctx.admin('event.offline.list')).body;
    assert.deepEqual([first.result.length, first.next, first.total, first.result[0].ID], [50, 50, 120, '1']);
    const last = (await ctx.admin('event.offline.list', { start: 100 })).body;
    assert.deepEqual([last.result.length, last.next, last.total, last.result[19].ID], [20, undefined, 120, '120']);
  });

  it('filters and orders on PROCESS_ID and ERROR too, without changing the queue', async () => {
    const { pid } = await reserve(ctx, 3);
    const reserved = (await ctx.admin('event.offline.list', { filter: { PROCESS_ID: pid }, order: { ID: 'DESC' } })).body;
    assert.deepEqual([reserved.result.map((r: Json) => r.ID), reserved.total], [['3', '2', '1'], 3]);
    const unflagged = (await ctx.admin('event.offline.list', { filter: { ERROR: 0, '>ID': 118 } })).body.result;
    assert.deepEqual(
      unflagged.map((r: Json) => r.ID),
      ['119', '120'],
    );
    assert.equal((await ctx.admin('event.offline.list', { filter: { '!ERROR': 1 } })).body.error_description, 'Filter operation not allowed: !');
    assert.equal((await ctx.admin('event.offline.list')).body.total, 120);
  });
});
