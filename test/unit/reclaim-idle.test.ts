// An idle --follow drain backs off up to 30 s between polls; with --reclaim-after it must still wake for
// each look at the reserved batches, or stranded pages wait a whole back-off per look (the competing-
// workers run timed out so: its drains idled 30 s at a time with --reclaim-after 5s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OfflineQueue } from '../../src/offline/queue.js';
import { idleDelayMs, StaleBatches } from '../../src/offline/reclaim.js';

test('idle back-off: never sleeps past the next look for stale batches, never below the minimum', () => {
  let now = 0;
  // the queue is not consulted to say when the next look is due
  const stale = new StaleBatches({} as OfflineQueue, { afterMs: 5000, now: () => now }, false);
  assert.equal(stale.nextLookInMs(), 2500, 'a look every half --reclaim-after');
  assert.equal(idleDelayMs(30_000, 1000, stale), 2500, 'a 30 s back-off wakes for the look');
  assert.equal(idleDelayMs(800, 500, stale), 800, 'a back-off shorter than the look stays as it is');
  now = 2000;
  assert.equal(idleDelayMs(30_000, 1000, stale), 1000, 'the look is 0.5 s away: the minimum, not a busy loop');
  assert.equal(idleDelayMs(30_000, 1000, undefined), 30_000, 'without --reclaim-after: the back-off');
});

test('stale batches: a few taken per look, at random, so competing drains mostly take different ones', async () => {
  let now = 0;
  const ids = Array.from({ length: 12 }, (_, i) => `batch${i}`);
  const left = new Set(ids);
  // the two listings the look makes: every reserved batch, then each due one again by id
  const queue = {
    findReserved: (id?: string) =>
      Promise.resolve(id ? (left.has(id) ? [{ processId: id, errorRows: false }] : []) : [...left].map((processId) => ({ processId, errorRows: false }))),
  } as unknown as OfflineQueue;
  const stale = new StaleBatches(queue, { afterMs: 1000, now: () => now }, false);
  now = 500;
  assert.deepEqual(await stale.due(() => false), [], 'first seen: none due yet');
  now = 1600;
  const first = await stale.due(() => false);
  assert.equal(first.length, 4, 'at most 4 per look, however many are due');
  for (const batch of first) left.delete(batch.processId);
  now = 2200;
  const second = await stale.due(() => false);
  assert.equal(second.length, 4, 'the rest at the next looks');
  const picks = new Set<string>();
  for (let run = 0; run < 20; run += 1) {
    const again = new StaleBatches(queue, { afterMs: 1000, now: () => now }, false);
    now += 600;
    await again.due(() => false);
    now += 1100;
    for (const batch of await again.due(() => false)) picks.add(batch.processId);
  }
  assert.ok(picks.size > 4, `picked at random (${picks.size} different batches over 20 drains)`);
});
