// The listener's polling within the portal's budget, on an injected monotonic clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Poller, pollPlan } from '../../src/offline/listen-queue.js';

test('a little under half the budget while events flow, half that once quiet for 15 s', () => {
  assert.deepEqual(pollPlan(2), { fastMs: 1100, idleMs: 2200, idleAfterMs: 15_000 }, '2 req/s: 45 %, one request per 1.1 s at most');
  assert.deepEqual(pollPlan(5), { fastMs: 440, idleMs: 880, idleAfterMs: 15_000 }, 'Enterprise 5 req/s');
  // a window that starts and ends with a request: n + 1 requests in n intervals stay within half
  for (const rate of [2, 5]) for (const seconds of [30, 60, 90]) assert.ok(Math.floor((seconds * 1000) / pollPlan(rate).fastMs) + 1 <= (rate * seconds) / 2);
  let now = 0;
  const poller = new Poller({ fastMs: 1000, idleMs: 2000, idleAfterMs: 15_000 }, () => now);
  poller.took();
  poller.sawEvents();
  assert.equal(poller.delay(), 1000, 'never closer than the fast interval');
  now = 400;
  assert.equal(poller.delay(), 600);
  now = 1000;
  assert.equal(poller.delay(), 0);
  poller.took();
  now = 16_000;
  assert.equal(poller.delay(), 0);
  poller.took();
  assert.equal(poller.delay(), 2000, 'quiet for 15 s: the idle interval');
  poller.sawEvents();
  assert.equal(poller.delay(), 1000, 'an event makes it fast again at once');
});

test('a slot is waited for and taken; an abort ends the wait', async () => {
  const poller = new Poller({ fastMs: 30, idleMs: 60, idleAfterMs: 1000 });
  const signal = new AbortController().signal;
  assert.equal(await poller.slot(signal), true);
  const started = performance.now();
  assert.equal(await poller.slot(signal), true);
  assert.ok(performance.now() - started >= 25, 'the second slot waited for the interval');
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 5);
  assert.equal(await poller.slot(stop.signal), false);
});
