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
