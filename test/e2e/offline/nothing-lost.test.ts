import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enqueue, offlinePortal, queueRows } from './helpers.js';

test('offline list --json prints nothing on stdout when the first read fails (no lone "[")', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 3);
    portal.sandbox.injectFault({ method: 'event.offline.list', kind: 'error', status: 403, error: 'ACCESS_DENIED', description: 'Access denied', times: 1 });
    const result = await portal.cli(['offline', 'list', '--json']);
    assert.notEqual(result.code, 0);
    assert.equal(result.stdout, '', 'stdout stays empty on failure');
    assert.match(result.stderr, /^error: .*ACCESS_DENIED|^error: .*access denied/im);
    const again = await portal.cli(['offline', 'list', '--json']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as unknown[]).length, 3);
    assert.equal(queueRows(portal).length, 3);
  } finally {
    await portal.close();
  }
});
