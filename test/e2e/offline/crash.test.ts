import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BIN, baseEnv, parseJson } from '../../helpers/cli.js';
import { dealIds, enqueue, offlinePortal, queuedDealIds, queueRows, range, readLines, sorted, startCli, unique, until } from './helpers.js';

test('SIGKILL in the middle of a page loses nothing, and --resume finishes the job', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 100);
    const out = join(portal.scratch, 'delivered.ndjson');
    const command = `cat >> ${out}; sleep 0.02`;
    const run = startCli(portal, ['offline', 'drain', '--batch', '30', '--exec', command]);
    // page 2 is events 31..60: kill once it is half done
    await until(() => dealIds(readLines(out)).length >= 45, '45 delivered events');
    run.child.kill('SIGKILL');
    const killed = await run.done;
    assert.equal(killed.signal, 'SIGKILL');

    const delivered = dealIds(readLines(out));
    const queued = queuedDealIds(portal);
    assert.deepEqual(unique([...delivered, ...queued]), range(1, 100), 'every event is delivered or still queued');
    const reserved = queueRows(portal).filter((row) => row.PROCESS_ID !== '');
    assert.ok(reserved.length > 0 && reserved.length <= 30, `the killed page is still reserved (${reserved.length})`);
    assert.equal(new Set(reserved.map((row) => row.PROCESS_ID)).size, 1);
    const listed = await portal.cli(['offline', 'list']);
    assert.ok(listed.stdout.includes(reserved[0]?.PROCESS_ID ?? 'none'), 'offline list shows the PROCESS_ID');

    const plain = await portal.cli(['offline', 'drain', '--worker', 'another', '--max', '1', '--exec', `cat >> ${out}`]);
    assert.equal(plain.code, 0);
    assert.equal(queueRows(portal).filter((row) => row.PROCESS_ID !== '').length, reserved.length, 'another worker leaves the reserved page alone');

    const resumed = await portal.cli(['offline', 'drain', '--resume', '--exec', `cat >> ${out}`]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(queueRows(portal), []);
    assert.deepEqual(unique(dealIds(readLines(out))), range(1, 100), 'all delivered');
  } finally {
    await portal.close();
  }
});

test('Ctrl-C: the event in hand finishes, the page is settled, the rest stays reserved; exit 130', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 20);
    const out = join(portal.scratch, 'delivered.ndjson');
    const failing = queueRows(portal)[1]?.ID;
    const command = `cat >> ${out}; sleep 0.3; test "$B24_EVENT_ID" != "${failing}"`;
    const run = startCli(portal, ['offline', 'drain', '--exec', command, '--json']);
    await until(() => dealIds(readLines(out)).length >= 4, '4 events started');
    run.child.kill('SIGINT');
    const result = await run.done;
    assert.equal(result.code, 130, result.stderr);
    const summary = parseJson<{ handled: number; failed: number; stopped: string; left_reserved: { process_id: string; events: number }[] }>(result);
    assert.equal(summary.stopped, 'interrupted');
    const delivered = dealIds(readLines(out));
    assert.equal(summary.handled + summary.failed, delivered.length, 'the event in hand finished and was counted');
    assert.equal(summary.failed, 1);

    const rows = queueRows(portal);
    assert.deepEqual(
      rows.filter((row) => row.ERROR === 1).map((row) => row.EVENT_DATA.FIELDS.ID),
      [2],
      'the failure was flagged',
    );
    const reserved = rows.filter((row) => row.PROCESS_ID !== '');
    assert.deepEqual(sorted(reserved.map((row) => row.EVENT_DATA.FIELDS.ID)), range(delivered.length + 1, 20), 'only events never started stay reserved');
    assert.deepEqual(summary.left_reserved, [{ process_id: reserved[0]?.PROCESS_ID, events: 20 - delivered.length }]);

    const resumed = await portal.cli(['offline', 'drain', '--resume', reserved[0]?.PROCESS_ID ?? '', '--exec', `cat >> ${out}`]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(dealIds(readLines(out)), range(1, 20), 'each event delivered exactly once: the page was settled');
    assert.deepEqual(
      queueRows(portal).map((row) => row.EVENT_DATA.FIELDS.ID),
      [2],
    );
  } finally {
    await portal.close();
  }
});

test('--follow keeps polling an empty queue, picks up new events, and stops cleanly on SIGTERM', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 5);
    const run = startCli(portal, ['offline', 'drain', '--follow']);
    await until(() => dealIds(run.stdout()).length === 5, 'the first 5 events');
    enqueue(portal, 6, 8);
    await until(() => dealIds(run.stdout()).length === 8, 'events queued later');
    run.child.kill('SIGTERM');
    const result = await run.done;
    assert.equal(result.code, 130, result.stderr);
    assert.deepEqual(dealIds(result.stdout), range(1, 8));
    assert.deepEqual(queueRows(portal), []);
  } finally {
    await portal.close();
  }
});

test('--follow rides out dropped connections and portal faults without losing or repeating events', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 40);
    portal.sandbox.injectFault({ method: 'batch', kind: 'reset', times: 2 });
    portal.sandbox.injectFault({ method: 'event.offline.get', kind: 'html', status: 502 });
    const run = startCli(portal, ['offline', 'drain', '--follow', '--batch', '10']);
    await until(() => dealIds(run.stdout()).length >= 40 && queueRows(portal).length === 0, 'all 40 events confirmed', 30_000);
    run.child.kill('SIGINT');
    const result = await run.done;
    assert.equal(result.code, 130);
    assert.deepEqual(dealIds(result.stdout), range(1, 40));
    assert.match(result.stderr, /retrying in \d+s/);
  } finally {
    await portal.close();
  }
});

test('a closed stdout (drain | head) confirms what was written, flags nothing, leaves the rest reserved', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 3000);
    const stderrFile = join(portal.scratch, 'stderr.txt');
    const script = `"${process.execPath}" "${BIN}" offline drain --batch 1000 2> "${stderrFile}" | head -n 5; echo "drain=\${PIPESTATUS[0]}"`;
    const shell = spawn('bash', ['-c', script], { env: baseEnv(portal.configDir), stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    shell.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    await new Promise((resolve) => shell.on('close', resolve));
    const lines = stdout.trimEnd().split('\n');
    assert.deepEqual(dealIds(lines.slice(0, 5).join('\n')), range(1, 5));
    assert.equal(lines.at(-1), 'drain=1', readLines(stderrFile));
    const stderr = readLines(stderrFile);
    assert.doesNotMatch(stderr, /^error:/m);
    const rows = queueRows(portal);
    assert.equal(rows.filter((row) => row.ERROR === 1).length, 0, 'nothing was flagged as failed');
    const reserved = rows.filter((row) => row.PROCESS_ID !== '');
    const handled = Number(/Handled (\d+) event/.exec(stderr)?.[1]);
    assert.ok(handled >= 5 && handled < 1000, `handled ${handled}`);
    assert.equal(reserved.length, 1000 - handled, 'the unwritten rest of the page stays reserved');
    assert.equal(rows.length, 3000 - handled, 'written rows were confirmed, nothing else');
    assert.match(stderr, new RegExp(`${reserved.length} records? left reserved under ${reserved[0]?.PROCESS_ID}`));
  } finally {
    await portal.close();
  }
});
