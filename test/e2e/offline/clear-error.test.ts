import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseJson } from '../../helpers/cli.js';
import { assertNoSecrets, secretsOf } from '../../helpers/portal.js';
import { dealIds, enqueue, offlinePortal, queueRows, readLines, requestsOf, startCli, until } from './helpers.js';

/** Leaves deals 1..5 reserved under one batch (a drain killed before handling any of them). */
async function reservedBatch(portal: Awaited<ReturnType<typeof offlinePortal>>): Promise<string> {
  enqueue(portal, 1, 5);
  const marker = join(portal.scratch, 'started');
  const run = startCli(portal, ['offline', 'drain', '--worker', 'killed', '--exec', `touch ${marker}; sleep 2`]);
  await until(() => readLines(marker) !== '' || queueRows(portal).some((row) => row.PROCESS_ID !== ''), 'the page to be reserved');
  run.child.kill('SIGKILL');
  await run.done;
  const processId = queueRows(portal)[0]?.PROCESS_ID ?? '';
  assert.match(processId, /^\w{32}$/);
  return processId;
}

test('clear --process-id confirms chosen records of a batch, or the whole batch', async () => {
  const portal = await offlinePortal();
  try {
    const processId = await reservedBatch(portal);
    enqueue(portal, 6, 7);
    const [first, second] = queueRows(portal);
    const byId = await portal.cli(['offline', 'clear', '--process-id', processId, '--id', String(first?.ID), '--json']);
    assert.equal(byId.code, 0, byId.stderr);
    assert.deepEqual(parseJson(byId), { process_id: processId, id: [first?.ID], result: true });
    const byMessage = await portal.cli(['offline', 'clear', '--process-id', processId, '--message-id', second?.MESSAGE_ID ?? '']);
    assert.equal(byMessage.code, 0, byMessage.stderr);
    assert.deepEqual(
      queueRows(portal).map((row) => row.EVENT_DATA.FIELDS.ID),
      [3, 4, 5, 6, 7],
    );
    const whole = await portal.cli(['offline', 'clear', '--process-id', processId]);
    assert.equal(whole.code, 0, whole.stderr);
    assert.match(whole.stderr, /Confirmed every record of batch/);
    assert.deepEqual(
      queueRows(portal).map((row) => row.EVENT_DATA.FIELDS.ID),
      [6, 7],
      'unreserved records are untouched',
    );
  } finally {
    await portal.close();
  }
});

test('an empty or blank process id is refused before any request, everywhere', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 3);
    const attempts = [
      ['offline', 'clear', '--process-id', ''],
      ['offline', 'clear', '--process-id', '   '],
      ['offline', 'error', '--process-id', ' ', '--message-id', 'a'.repeat(32)],
      ['offline', 'drain', '--resume', ' '],
    ];
    for (const args of attempts) {
      const result = await portal.cli(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /must not be empty/);
    }
    const neither = await portal.cli(['offline', 'clear']);
    assert.equal(neither.code, 2);
    const both = await portal.cli(['offline', 'clear', '--process-id', 'x'.repeat(32), '--id', '1', '--message-id', 'a'.repeat(32)]);
    assert.equal(both.code, 2);
    const shortId = await portal.cli(['offline', 'clear', '--process-id', 'x'.repeat(32), '--message-id', 'abc']);
    assert.equal(shortId.code, 2);
    assert.equal(requestsOf(portal, 'event.offline.clear', 'event.offline.error', 'event.offline.get', 'event.offline.list', 'batch'), 0);
    assert.equal(queueRows(portal).length, 3);
  } finally {
    await portal.close();
  }
});

test('clear --all without a terminal needs --yes: exit 2, nothing deleted', async () => {
  const portal = await offlinePortal();
  try {
    const processId = await reservedBatch(portal);
    enqueue(portal, 6, 9);
    assert.equal((await portal.cli(['offline', 'drain', '--max', '1', '--exec', 'exit 1'])).code, 1);
    const before = queueRows(portal);
    const refused = await portal.cli(['offline', 'clear', '--all']);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^error: --yes is required when not running interactively — Delete all 4 unreserved records of the queue \(1 of them error-flagged\)/,
    );
    assert.deepEqual(queueRows(portal), before, 'nothing deleted');
    assert.equal(requestsOf(portal, 'event.offline.clear'), 0);

    const done = await portal.cli(['offline', 'clear', '--all', '--yes', '--json']);
    assert.equal(done.code, 0, done.stderr);
    assert.deepEqual(parseJson(done), { all: true, unreserved_before: 4, unreserved_after: 0 });
    const left = queueRows(portal);
    assert.deepEqual(
      left.map((row) => row.EVENT_DATA.FIELDS.ID),
      [1, 2, 3, 4, 5],
      'the reserved batch survives',
    );
    assert.ok(left.every((row) => row.PROCESS_ID === processId));
    assertNoSecrets(done, secretsOf(portal));
  } finally {
    await portal.close();
  }
});

test('offline error flags records of a batch, and refuses messages the batch does not hold', async () => {
  const portal = await offlinePortal();
  try {
    const processId = await reservedBatch(portal);
    enqueue(portal, 6, 6);
    const [first] = queueRows(portal);
    const outsider = queueRows(portal).find((row) => row.EVENT_DATA.FIELDS.ID === 6);
    const refused = await portal.cli(['offline', 'error', '--process-id', processId, '--message-id', outsider?.MESSAGE_ID ?? '']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /does not hold/);
    assert.equal(requestsOf(portal, 'event.offline.error'), 0);
    assert.equal(queueRows(portal).length, 6, 'the outsider was not deleted');

    const flagged = await portal.cli(['offline', 'error', '--process-id', processId, '--message-id', first?.MESSAGE_ID ?? '']);
    assert.equal(flagged.code, 0, flagged.stderr);
    const row = queueRows(portal).find((r) => r.MESSAGE_ID === first?.MESSAGE_ID);
    assert.deepEqual([row?.ERROR, row?.PROCESS_ID], [1, '']);
    const retried = await portal.cli(['offline', 'drain', '--errors']);
    assert.deepEqual(dealIds(retried.stdout), [1]);
  } finally {
    await portal.close();
  }
});
