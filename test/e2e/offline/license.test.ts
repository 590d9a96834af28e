import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson } from '../../helpers/cli.js';
import { dealIds, enqueue, offlinePortal, queueRows, range, requestsOf } from './helpers.js';

test('without rest_offline_extended the drain stops with an explanation (exit 4) and deletes nothing', async () => {
  const portal = await offlinePortal({ features: { rest_offline_extended: false } });
  try {
    enqueue(portal, 1, 5);
    const before = queueRows(portal);
    const result = await portal.cli(['offline', 'drain']);
    assert.equal(result.code, 4);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^error: event\.offline\.get: the portal's plan lacks rest_offline_extended, so events cannot be read without deleting them \(clear=0\); nothing was read or deleted — .*--at-most-once/m,
    );
    assert.deepEqual(queueRows(portal), before);
    const resume = await portal.cli(['offline', 'drain', '--resume']);
    assert.equal(resume.code, 4, 're-reading needs clear=0 as well');
    assert.deepEqual(queueRows(portal), before);
  } finally {
    await portal.close();
  }
});

test('--at-most-once reads with clear=1 after a warning', async () => {
  const portal = await offlinePortal({ features: { rest_offline_extended: false } });
  try {
    enqueue(portal, 1, 120);
    const result = await portal.cli(['offline', 'drain', '--at-most-once']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^warning: --at-most-once: the portal deletes each page as it returns it \(clear=1\)/);
    assert.deepEqual(dealIds(result.stdout), range(1, 120));
    assert.deepEqual(queueRows(portal), []);
    assert.equal(requestsOf(portal, 'event.offline.get'), 3, 'pages of 50; the short last page ends the drain');
    const combined = await portal.cli(['offline', 'drain', '--at-most-once', '--resume']);
    assert.equal(combined.code, 2);
  } finally {
    await portal.close();
  }
});

test('--at-most-once reports what the portal deleted but the sink never got', async () => {
  const portal = await offlinePortal({ features: { rest_offline_extended: false } });
  try {
    enqueue(portal, 1, 5);
    const result = await portal.cli(['offline', 'drain', '--at-most-once', '--exec', 'no-such-command-b24', '--json']);
    assert.equal(result.code, 1);
    const summary = parseJson<{ lost: number; stopped: string; delivery: string }>(result);
    assert.deepEqual([summary.lost, summary.stopped, summary.delivery], [5, 'sink-stopped', 'at-most-once']);
    assert.deepEqual(queueRows(portal), [], 'clear=1 deleted the page on read');
  } finally {
    await portal.close();
  }
});
