// drain --follow takes over batches nobody settles (--reclaim-after): a read whose reply was lost
// reserved a page the worker never saw; once it has been reserved that long, the worker reads it itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from '../../../src/commands/offline/drain-setup.js';
import { isMethod, startProxy } from '../../reliability/proxy.js';
import { dealIds, enqueue, offlinePortal, queueRows, range, until } from './helpers.js';

const MINUTE = 60_000;

test('--follow reclaims a page whose read lost its reply once it has been reserved 10 minutes (the default), and says so', async () => {
  const portal = await offlinePortal();
  const proxy = await startProxy(portal.sandbox.url);
  try {
    portal.writeProfile('admin', { portal: proxy.url, oauthServer: proxy.url });
    enqueue(portal, 1, 5);
    // the first request (the read and the start-up counts) reaches the portal, its reply is lost
    proxy.arm(isMethod('batch'), async ({ res, forward }) => {
      await forward();
      res.socket?.destroy();
    });
    let offset = 0;
    const controller = new AbortController();
    const running = portal.cli(['offline', 'drain', '--follow'], { now: () => Date.now() + offset, signal: controller.signal, timeoutMs: 60_000 });
    const looks = () => proxy.seen.filter(isMethod('event.offline.list')).length;
    const reserved = () => queueRows(portal).filter((row) => row.PROCESS_ID !== '').length;
    await until(() => proxy.seen.filter(isMethod('batch')).length >= 2, 'the lost read and its retry');
    assert.equal(reserved(), 5, 'the lost read reserved the page');
    offset = 6 * MINUTE;
    const before = looks();
    await until(() => looks() > before, 'a look at the reserved batches');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(reserved(), 5, 'seen reserved for the first time: not taken yet');
    offset = 17 * MINUTE;
    await until(() => queueRows(portal).length === 0, 'the reclaimed page handled and confirmed');
    controller.abort();
    const result = await running;
    assert.equal(result.code, 130, result.stderr);
    assert.deepEqual(dealIds(result.stdout), range(1, 5));
    const lines = result.stderr.split('\n').filter((line) => line.includes('reclaiming'));
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0] ?? '', /reclaiming 5 records reserved under [0-9a-z]{32} for at least 11m( \d+s)? \(no drain settled them\)$/);
  } finally {
    await proxy.close();
    await portal.close();
  }
});

test('--reclaim-after: a duration like 90s, 10m or 1h, with --follow only; bad input is a usage error that sends nothing', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 2);
    const requests = portal.sandbox.requestLog().length;
    for (const [args, message] of [
      [['--follow', '--reclaim-after', '10'], /--reclaim-after: "10" is not a duration/],
      [['--follow', '--reclaim-after', '0s'], /is not a duration/],
      [['--follow', '--reclaim-after', '5 minutes'], /is not a duration/],
      [['--reclaim-after', '90s'], /--reclaim-after applies to --follow/],
      [['--follow', '--event', 'ONCRMDEALUPDATE', '--reclaim-after', '1h'], /cannot be combined with --event/],
    ] as const) {
      const result = await portal.cli(['offline', 'drain', ...args]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
    }
    assert.equal(portal.sandbox.requestLog().length, requests, 'nothing was sent');
    assert.equal(queueRows(portal).filter((row) => row.PROCESS_ID === '').length, 2);
  } finally {
    await portal.close();
  }
});

test('durations: units ms, s, m, h, combined', () => {
  assert.equal(parseDuration('90s', '--x'), 90_000);
  assert.equal(parseDuration('10m', '--x'), 600_000);
  assert.equal(parseDuration('1h', '--x'), 3_600_000);
  assert.equal(parseDuration('1h30m', '--x'), 5_400_000);
  assert.equal(parseDuration('1.5m', '--x'), 90_000);
  for (const bad of ['', '10', 'm', '10x', '-5m', '1h 30', 'ten minutes']) assert.throws(() => parseDuration(bad, '--x'), /is not a duration/, bad);
});
