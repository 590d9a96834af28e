// The --follow progress line's rate: events per second over the last seconds, not since the start.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentRate } from '../../src/commands/offline/recent-rate.js';

test('the rate is recent: a burst an hour ago does not count, an idle spell brings it down to 0', () => {
  let now = 0;
  const rate = new RecentRate(() => now);
  let total = 0;
  for (let i = 0; i < 40; i += 1) {
    now += 250;
    total += 25;
    rate.perSecond(total);
  }
  assert.equal(rate.perSecond(total), 100, '1000 events in 10 s');
  now += 3_600_000;
  assert.equal(rate.perSecond(total), 0, 'nothing came for an hour (a lifetime average would say 0.3)');
  for (let i = 0; i < 8; i += 1) {
    now += 250;
    total += 5;
    rate.perSecond(total);
  }
  assert.equal(rate.perSecond(total), 4, '40 new events in the last 10 s window (a lifetime average would say 0)');
});
