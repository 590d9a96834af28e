import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dealIds, enqueue, offlinePortal, queueRows, range } from './helpers.js';

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

test('--exec with a handler that always fails the same way stops the drain; nothing flagged, the page stays reserved', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 40);
    // what the README's `--exec 'php handle.php'` does when handle.php is missing: exit 1 every time
    const result = await portal.cli(['offline', 'drain', '--exec', 'cat >/dev/null; echo "Could not open input file" >&2; exit 1', '--batch', '20']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /warning: stopped: command failed \(exit 1\) for the first 5 events: the command looks wrong, so nothing was flagged/);
    const rows = queueRows(portal);
    assert.equal(rows.filter((row) => Number(row.ERROR) === 1).length, 0, 'no event was flagged');
    assert.equal(rows.length, 40, 'nothing was deleted');
    const reserved = rows.filter((row) => row.PROCESS_ID !== '');
    assert.equal(reserved.length, 20, 'the page in hand stays reserved');
    const processId = reserved[0]?.PROCESS_ID ?? '';
    assert.match(result.stderr, new RegExp(`20 records left reserved under ${processId}: finish with \`b24-events offline drain --resume ${processId}\``));
    assert.doesNotMatch(result.stderr, /failed \(flagged/);

    const resumed = await portal.cli(['offline', 'drain', '--resume', processId]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(dealIds(resumed.stdout), range(1, 40), 'the reserved page first, then the rest');
  } finally {
    await portal.close();
  }
});

test('--exec: a handler that fails for some events but handled others still flags the failures', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 12);
    const result = await portal.cli(['offline', 'drain', '--exec', 'grep -q \'"ID":1}\' || exit 1']);
    assert.equal(result.code, 1, result.stderr);
    assert.doesNotMatch(result.stderr, /stopped:/);
    assert.equal(queueRows(portal).filter((row) => Number(row.ERROR) === 1).length, 11, "after a success, failures are the events' own");
  } finally {
    await portal.close();
  }
});
