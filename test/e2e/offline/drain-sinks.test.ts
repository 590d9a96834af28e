import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseJson } from '../../helpers/cli.js';
import { assertNoSecrets, secretsOf } from '../../helpers/portal.js';
import { dealIds, enqueue, offlinePortal, queuedDealIds, queueRows, range, readLines, requestsOf, sorted } from './helpers.js';

test('stdout sink: NDJSON rows as the portal returns them, queue order, several pages per request', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 1200);
    const expected = queueRows(portal).map((row) => row.MESSAGE_ID);
    const result = await portal.cli(['offline', 'drain']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 1200);
    const first = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    assert.deepEqual(Object.keys(first), ['ID', 'TIMESTAMP_X', 'EVENT_NAME', 'EVENT_DATA', 'EVENT_ADDITIONAL', 'MESSAGE_ID']);
    assert.deepEqual(first.EVENT_DATA, { FIELDS: { ID: 1 } });
    assert.deepEqual(
      lines.map((line) => (JSON.parse(line) as { MESSAGE_ID: string }).MESSAGE_ID),
      expected,
    );
    assert.deepEqual(queueRows(portal), [], 'everything confirmed');
    // pages of 1000: batch(reserved-rows probe + read), batch(confirm page 1 + read 4 pages: the short one
    // ends the queue), batch(confirm page 2)
    assert.equal(requestsOf(portal, 'event.offline.get'), 0);
    assert.equal(requestsOf(portal, 'batch'), 3);
    assert.match(result.stderr, /Handled 1200 events — 3 requests in /);
    assertNoSecrets(result, secretsOf(portal));
  } finally {
    await portal.close();
  }
});

test('stdout sink with --json: stdout stays NDJSON, the summary is the last stderr line; --max and --event', async () => {
  const portal = await offlinePortal();
  try {
    assert.equal((await portal.cli(['bind', 'ONCRMDEALADD', '--offline'])).code, 0);
    enqueue(portal, 1, 10);
    enqueue(portal, 101, 105, 'ONCRMDEALADD');
    const added = await portal.cli(['offline', 'drain', '--event', 'oncrmdealadd', '--json']);
    assert.equal(added.code, 0, added.stderr);
    assert.deepEqual(dealIds(added.stdout), range(101, 105));
    const summary = JSON.parse(added.stderr.trimEnd().split('\n').at(-1) ?? '') as Record<string, unknown>;
    assert.equal(summary.handled, 5);
    assert.equal(summary.failed, 0);
    assert.equal(summary.stopped, 'empty');
    assert.equal(summary.delivery, 'at-least-once');
    assert.deepEqual(summary.left_reserved, []);

    const limited = await portal.cli(['offline', 'drain', '--max', '3', '--batch', '2']);
    assert.equal(limited.code, 0, limited.stderr);
    assert.deepEqual(dealIds(limited.stdout), [1, 2, 3]);
    assert.deepEqual(sorted(queuedDealIds(portal)), range(4, 10));
    assert.ok(
      queueRows(portal).every((row) => row.PROCESS_ID === ''),
      'nothing left reserved',
    );
  } finally {
    await portal.close();
  }
});

test('exec sink: event JSON on stdin, exit 0 = handled; failures are flagged and come back with --errors', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 6);
    const out = join(portal.scratch, 'delivered.ndjson');
    const envFile = join(portal.scratch, 'env.txt');
    const command = `cat >> ${out}; env | grep '^B24_' | sort >> ${envFile}; echo "seen $B24_EVENT_NAME"; test "$B24_EVENT_ID" != "${queueRows(portal)[1]?.ID}"`;
    const env = { ...portal.envCredentials(), B24_APPLICATION_TOKEN: portal.app.applicationToken };
    const result = await portal.cli(['offline', 'drain', '--exec', command, '--json'], { env });
    assert.equal(result.code, 1, 'a failure makes the exit code 1');
    const summary = parseJson<Record<string, number>>(result); // the command's own output went to stderr
    assert.match(result.stderr, /^seen ONCRMDEALUPDATE$/m);
    assert.equal(summary.handled, 5);
    assert.equal(summary.failed, 1);
    assert.match(result.stderr, /warning: record \d+ ONCRMDEALUPDATE \([0-9a-f]{32}\) failed: command failed \(exit 1\)/);
    assert.deepEqual(dealIds(readLines(out)), range(1, 6));
    const childEnv = readLines(envFile);
    assert.match(childEnv, /^B24_EVENT_NAME=ONCRMDEALUPDATE$/m);
    assert.match(childEnv, /^B24_MESSAGE_ID=[0-9a-f]{32}$/m);
    assert.doesNotMatch(childEnv, /B24_CLIENT_SECRET|B24_REFRESH_TOKEN|B24_ACCESS_TOKEN|B24_APPLICATION_TOKEN/);
    assert.deepEqual(
      queueRows(portal).map((row) => [row.EVENT_DATA.FIELDS.ID, row.ERROR, row.PROCESS_ID]),
      [[2, 1, '']],
    );

    const plain = await portal.cli(['offline', 'drain']);
    assert.equal(plain.stdout, '', 'an ordinary drain skips flagged records');
    const retried = await portal.cli(['offline', 'drain', '--errors']);
    assert.equal(retried.code, 0, retried.stderr);
    assert.deepEqual(dealIds(retried.stdout), [2]);
    assert.deepEqual(queueRows(portal), []);
    assertNoSecrets(result, secretsOf(portal));
  } finally {
    await portal.close();
  }
});

test('exec sink: --concurrency runs up to N commands at once within a page', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 12);
    const dir = join(portal.scratch, 'running');
    const counts = join(portal.scratch, 'counts');
    const command = `mkdir -p ${dir}; touch ${dir}/$B24_EVENT_ID; ls ${dir} | wc -l >> ${counts}; sleep 0.3; rm ${dir}/$B24_EVENT_ID; cat > /dev/null`;
    const result = await portal.cli(['offline', 'drain', '--exec', command, '--concurrency', '4']);
    assert.equal(result.code, 0, result.stderr);
    const seen = readLines(counts).trim().split('\n').map(Number);
    assert.equal(seen.length, 12);
    assert.ok(Math.max(...seen) <= 4, `at most 4 at once, saw ${Math.max(...seen)}`);
    assert.ok(Math.max(...seen) >= 2, 'commands overlapped');
    assert.deepEqual(queueRows(portal), []);
  } finally {
    await portal.close();
  }
});

test('--errors: a record that fails again stays flagged and reserved; --resume finishes it', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 3);
    assert.equal((await portal.cli(['offline', 'drain', '--exec', 'exit 1'])).code, 1);
    assert.equal(queueRows(portal).filter((row) => row.ERROR === 1).length, 3);
    const again = await portal.cli(['offline', 'drain', '--errors', '--exec', 'grep -q \'"ID":2}\' || exit 1']);
    assert.equal(again.code, 1);
    const left = queueRows(portal);
    assert.deepEqual(
      left.map((row) => row.EVENT_DATA.FIELDS.ID),
      [1, 3],
    );
    const processId = left[0]?.PROCESS_ID ?? '';
    assert.match(processId, /^\w{32}$/);
    assert.ok(left.every((row) => row.ERROR === 1 && row.PROCESS_ID === processId));
    assert.match(again.stderr, new RegExp(`2 records left reserved under ${processId}: finish with \`b24-events offline drain --resume ${processId}\``));
    const resumed = await portal.cli(['offline', 'drain', '--resume', processId]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(dealIds(resumed.stdout), [1, 3]);
    assert.deepEqual(queueRows(portal), []);
  } finally {
    await portal.close();
  }
});

test('exec sink: a command the shell cannot run stops the drain without flagging anything', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 5);
    const result = await portal.cli(['offline', 'drain', '--exec', 'no-such-command-b24']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /warning: stopped: the command could not be run \(shell exit 127\): nothing was flagged/);
    const rows = queueRows(portal);
    assert.equal(rows.filter((row) => row.ERROR === 1).length, 0);
    assert.equal(rows.filter((row) => row.PROCESS_ID !== '').length, 5);
    const resumed = await portal.cli(['offline', 'drain', '--resume']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(dealIds(resumed.stdout), range(1, 5));
  } finally {
    await portal.close();
  }
});
