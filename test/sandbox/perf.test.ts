import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setup } from './helpers.js';

describe('sandbox offline queue at scale', () => {
  it('queues and drains 100,000 rows through reserve + clear in a few seconds', async () => {
    const ctx = await setup();
    try {
      await ctx.admin('event.bind', { event: 'ONCRMDEALUPDATE', event_type: 'offline' });
      const started = Date.now();
      for (let id = 1; id <= 100_000; id += 1) ctx.sandbox.trigger('ONCRMDEALUPDATE', { FIELDS: { ID: String(id) } }, { userId: 1 });
      const listed = (await ctx.admin('event.offline.list', { start: 99_950 })).body;
      assert.deepEqual([listed.total, listed.result.length], [100_000, 50]);
      let drained = 0;
      let last = 0;
      for (;;) {
        const { process_id: pid, events } = (await ctx.admin('event.offline.get', { clear: 0, limit: 1000 })).body.result;
        if (events.length === 0) break;
        const ids = events.map((e: { ID: string }) => Number(e.ID));
        assert.ok(ids[0] > last, 'batches come in queue order');
        last = ids.at(-1);
        drained += events.length;
        await ctx.admin('event.offline.clear', { process_id: pid });
      }
      assert.equal(drained, 100_000);
      assert.equal((await ctx.admin('event.offline.list')).body.total, 0);
      assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
    } finally {
      await ctx.sandbox.close();
    }
  });
});
