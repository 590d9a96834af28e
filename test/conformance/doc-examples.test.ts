// The REST docs' documented replies (test/fixtures/methods, each naming its doc page) against what the
// sandbox answers over HTTP: the same keys, in order where the page prints a real reply, and the same
// value types. Where the sandbox differs on purpose it is asserted here as the deviation listed in
// src/sandbox/README.md.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, errorOf, setup, type Json } from '../sandbox/helpers.js';
import { documented, fixture, jsonShape } from './fixtures.js';

const success = (json: Json): boolean => json.error === undefined;
const failure = (json: Json): boolean => json.error !== undefined;

/** A documented reply as the sandbox writes it: `time` carries `operating_reset_at` before `operating` (limits.md). */
function withResetAt(reply: Json): Json {
  if (reply.time === undefined) return reply;
  const { operating, ...time } = reply.time as Record<string, unknown>;
  return { ...reply, time: { ...time, operating_reset_at: 0, operating: operating ?? 0 } };
}

describe('conformance: documented method replies', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  const handler = 'https://www.my-domain.com/handler/';
  before(async () => {
    ctx = await setup();
  });
  after(() => ctx.sandbox.close());

  it('event.unbind: {result: {count}, time} key for key; the non-admin offline error word for word', async () => {
    await ctx.admin('event.bind', { event: 'ONCRMLEADADD', handler });
    const reply = await ctx.admin('event.unbind', { event: 'ONCRMLEADADD', handler });
    assert.deepEqual(jsonShape(reply.body), jsonShape(withResetAt(documented('methods/event.unbind.json', success))));
    assert.equal(reply.body.result.count, 1);
    const denied = await ctx.user('event.unbind', { event: 'ONCRMLEADADD', event_type: 'offline' });
    const doc = documented('methods/event.unbind.json', failure);
    assert.deepEqual([denied.status, denied.body], [403, doc]);
  });

  it('event.offline.* answer a non-admin with the documented ACCESS_DENIED body (403)', async () => {
    for (const method of ['get', 'list', 'clear', 'error'] as const) {
      const denied = await ctx.user(`event.offline.${method}`, { process_id: 'x', message_id: ['1'] });
      const doc = documented(`methods/event.offline.${method}.json`, failure);
      assert.deepEqual([denied.status, denied.body], [403, doc], `event.offline.${method}`);
    }
  });

  it('event.offline.error: {result: true, time} key for key', async () => {
    await ctx.admin('event.bind', { event: 'ONCRMDEALADD', event_type: 'offline' });
    ctx.sandbox.trigger('ONCRMDEALADD', { FIELDS: { ID: '1' } }, { userId: 1 });
    const got = (await ctx.admin('event.offline.get', { clear: 0 })).body.result;
    const reply = await ctx.admin('event.offline.error', { process_id: got.process_id, message_id: [got.events[0].MESSAGE_ID] });
    assert.deepEqual(jsonShape(reply.body), jsonShape(withResetAt(documented('methods/event.offline.error.json', success))));
    assert.equal(reply.body.result, true);
  });

  it('event.test and its ONAPPTEST binding answer as the handler page shows (plus time)', async () => {
    const page = fixture('methods/event.test.json').examples as Json[];
    const bind = await ctx.admin('event.bind', { event: 'ONAPPTEST', handler: 'http://127.0.0.1:9/hook' });
    assert.equal(bind.body.result, page[0].json.result);
    const test = await ctx.admin('event.test', { any: 'data' });
    assert.equal(test.body.result, page[1].json.result);
    assert.equal(page[1].json.time, undefined, 'the page omits time; the sandbox always sends it (README deviation)');
    assert.equal(typeof test.body.time.operating_reset_at, 'number');
  });

  it('batch: the envelope of batch.md key for key; user.current with the documented fields in order', async () => {
    const reply = await ctx.admin('batch', { cmd: { get_user: 'user.current', get_department: 'event.offline.list' } });
    const doc = documented('methods/batch.json', (json) => !Array.isArray(json.result.result));
    assert.deepEqual(Object.keys(reply.body), Object.keys(withResetAt(doc)));
    assert.deepEqual(jsonShape(reply.body.time), jsonShape(withResetAt(doc).time));
    const { result } = reply.body;
    assert.deepEqual(Object.keys(result), Object.keys(doc.result));
    assert.deepEqual(Object.keys(result.result), Object.keys(doc.result.result));
    assert.deepEqual([result.result_error, result.result_next], [doc.result.result_error, doc.result.result_next]);
    assert.deepEqual(jsonShape(result.result_total), jsonShape(doc.result.result_total));
    for (const key of Object.keys(doc.result.result_time)) {
      // sub-call times carry their own operating budget (limits.md: nested calls are counted as methods)
      assert.deepEqual(jsonShape(result.result_time[key]), jsonShape(withResetAt({ time: doc.result.result_time[key] }).time));
    }
    // batch.md trims user.current's reply; user-current.md shows WORK_POSITION where batch.md shows TIMESTAMP_X
    const docUser = doc.result.result.get_user;
    const user = Object.fromEntries(Object.entries(result.result.get_user).filter(([key]) => key !== 'WORK_POSITION'));
    assert.deepEqual(jsonShape(user), jsonShape(docUser));
  });

  it('batch errors: insufficient_scope per command, the empty maps as [] (both examples, exactly)', async () => {
    const app = ctx.sandbox.createApp({ scopes: ['crm'] });
    const token = ctx.sandbox.issueTokens(app.clientId, 1).access_token;
    const examples = (fixture('methods/batch.json').examples as Json[]).slice(1).map((example) => example.json);
    for (const doc of examples) {
      const cmd = Object.fromEntries(Object.keys(doc.result.result_error).map((key) => [key, 'user.current']));
      const reply = await call(`${ctx.sandbox.url}/rest/`, 'batch', { auth: token, cmd });
      assert.deepEqual(reply.body.result, doc.result);
      assert.deepEqual(jsonShape(reply.body.time), jsonShape(withResetAt(doc).time));
    }
  });

  it('errors carry {error, error_description} and no time, like every documented error example', async () => {
    const reply = await ctx.admin('event.bind', { event: 'ONCRMDEALADDD', handler });
    assert.deepEqual(jsonShape(reply.body), jsonShape(documented('methods/event.bind.json', failure)));
    assert.deepEqual(errorOf(reply), [400, 'ERROR_EVENT_NOT_FOUND', 'Event not found']);
  });
});
