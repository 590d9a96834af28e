// Several pages per request: how many requests a drain takes, and what a Ctrl-C with several pages in
// hand leaves (every page not started stays reserved under its own id, --resume finishes them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { run } from '../../../src/run.js';
import { baseEnv } from '../../helpers/cli.js';
import { dealIds, enqueue, offlinePortal, queuedDealIds, queueRows, range, requestsOf, unique } from './helpers.js';

test('19,000 events take 4 requests: 1, then 4, then 14 pages per request (what 14,000 in hand allows), then the last confirms', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 19_000);
    const result = await portal.cli(['offline', 'drain', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(dealIds(result.stdout).length, 19_000);
    const summary = JSON.parse(result.stderr.trimEnd().split('\n').at(-1) ?? '') as { pages: number; requests: number };
    assert.deepEqual([summary.pages, summary.requests], [19, 4]);
    assert.equal(requestsOf(portal, 'batch'), 4);
    assert.deepEqual(queueRows(portal), []);
  } finally {
    await portal.close();
  }
});

/** Runs the CLI in-process with a stdout that fires `onLines` once it has received `lines` lines. */
async function drainUntil(configDir: string, args: string[], lines: number) {
  const controller = new AbortController();
  let stdout = '';
  let stderr = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      stdout += chunk.toString();
      if (!controller.signal.aborted && stdout.split('\n').length > lines) controller.abort();
      done();
    },
  });
  const err = new Writable({
    write(chunk: Buffer, _encoding, done) {
      stderr += chunk.toString();
      done();
    },
  });
  const io = { stdout: out, stderr: err, stdin: Readable.from([]), stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false, columns: 100 };
  const code = await run(args, { io, env: baseEnv(configDir), signal: controller.signal });
  return { code, stdout, stderr };
}

test('Ctrl-C with several pages in hand: the handled ones are confirmed, every page not started stays reserved', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 5000);
    // pages of 500: request 1 reads page 1, request 2 reads pages 2-5; Ctrl-C during page 3
    const stopped = await drainUntil(portal.configDir, ['offline', 'drain', '--batch', '500'], 1200);
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(
      stopped.stderr,
      /^Stopping: finishing \d+ events in hand, then confirming what was handled; Ctrl-C again stops now and leaves 2000 records reserved under 4 process ids$/m,
    );
    const delivered = dealIds(stopped.stdout);
    const reserved = queueRows(portal).filter((row) => row.PROCESS_ID !== '');
    const batches = new Set(reserved.map((row) => row.PROCESS_ID));
    assert.equal(batches.size, 3, 'the rest of page 3, pages 4 and 5');
    const unreserved = queueRows(portal).filter((row) => row.PROCESS_ID === '');
    assert.deepEqual(
      unreserved.map((row) => row.EVENT_DATA.FIELDS.ID),
      range(2501, 5000),
      'pages 6-10 were never read',
    );
    assert.equal(reserved.length, 2500 - delivered.length);
    assert.deepEqual(unique([...delivered, ...queuedDealIds(portal)]), range(1, 5000), 'every event delivered or still queued');
    for (const id of batches) assert.match(stopped.stderr, new RegExp(`records? left reserved under ${id}: finish with`));
    assert.equal(queueRows(portal).length, 5000 - delivered.length, 'what was written was confirmed, nothing else');

    const resumed = await portal.cli(['offline', 'drain', '--resume']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(unique([...delivered, ...dealIds(resumed.stdout)]), range(1, 5000));
    assert.equal(delivered.length + dealIds(resumed.stdout).length, 5000, 'nothing delivered twice');
    assert.deepEqual(queueRows(portal), []);
  } finally {
    await portal.close();
  }
});
