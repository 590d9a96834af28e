// Ctrl-C as the built binary sees it: the first says what the drain is finishing and what a second would
// leave; the second stops at once and names what it left reserved and the --resume that finishes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { dealIds, enqueue, offlinePortal, queueRows, range, readLines, startCli, until } from './helpers.js';

test('a second Ctrl-C stops at once, says what stays reserved and how to --resume it', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 10);
    const out = join(portal.scratch, 'delivered.ndjson');
    const run = startCli(portal, ['offline', 'drain', '--exec', `cat >> ${out}; sleep 2`]);
    await until(() => dealIds(readLines(out)).length === 1, 'the first event in hand');
    run.child.kill('SIGINT');
    await until(() => run.stderr().includes('Stopping:'), 'the first Ctrl-C to be answered');
    const processId = queueRows(portal)[0]?.PROCESS_ID ?? '';
    assert.match(processId, /^\w{32}$/);
    assert.match(
      run.stderr(),
      new RegExp(
        `^Stopping: finishing 1 event in hand, then confirming what was handled; Ctrl-C again stops now and leaves 10 records reserved under ${processId}$`,
        'm',
      ),
    );
    await sleep(600); // a second signal within 500 ms counts as the same one
    run.child.kill('SIGINT');
    const result = await run.done;
    assert.equal(result.code, 130, result.stderr);
    assert.match(result.stderr, /^warning: stopped at once: 1 event in hand did not finish; what was not yet confirmed stays reserved$/m);
    assert.match(
      result.stderr,
      new RegExp(`^10 records left reserved under ${processId}: finish with \`b24-events offline drain --resume ${processId}\`$`, 'm'),
    );
    assert.equal(queueRows(portal).filter((row) => row.PROCESS_ID === processId).length, 10, 'nothing was confirmed');

    const resumed = await portal.cli(['offline', 'drain', '--resume', processId]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(dealIds(resumed.stdout), range(1, 10));
    assert.deepEqual(queueRows(portal), []);
  } finally {
    await portal.close();
  }
});
