// Named drains (--worker): each keeps the process ids it reserved in a state file in the config folder,
// and a restart under the same name resumes its own batches first, and only those.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { dealIds, enqueue, offlinePortal, queueRows, range, sorted, startCli, until, type RunningCli } from './helpers.js';
import type { TestPortal } from '../../helpers/portal.js';

/** A drain that reserves a page of 3 and blocks on its first event. */
function stuckDrain(portal: TestPortal, worker: string[] = []): RunningCli {
  return startCli(portal, ['offline', 'drain', '--batch', '3', '--exec', 'sleep 60', '--handler-timeout', '120', ...worker]);
}

const reservedIds = (portal: TestPortal) =>
  new Map(
    [...new Set(queueRows(portal).map((row) => row.PROCESS_ID))].filter(Boolean).map((id) => [
      id,
      sorted(
        queueRows(portal)
          .filter((row) => row.PROCESS_ID === id)
          .map((row) => row.EVENT_DATA.FIELDS.ID),
      ),
    ]),
  );

/** A worker's state file (none yet: no process ids). */
function state(portal: TestPortal, name: string): { processIds: string[] } {
  const path = join(portal.configDir, 'workers', `${name}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { processIds: string[] }) : { processIds: [] };
}

test('a killed worker restarted without --resume takes back its own page first (state file 0600 in a 0700 folder)', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 8);
    const first = stuckDrain(portal);
    await until(() => reservedIds(portal).size === 1, 'the page reserved');
    const [[processId, ids]] = [...reservedIds(portal)] as [[string, number[]]];
    assert.deepEqual(ids, range(1, 3));
    await until(() => state(portal, 'admin').processIds.includes(processId), 'the state file names the page');
    first.child.kill('SIGKILL');
    await first.done;
    assert.equal(statSync(join(portal.configDir, 'workers')).mode & 0o777, 0o700);
    assert.equal(statSync(join(portal.configDir, 'workers', 'admin.json')).mode & 0o777, 0o600);

    const again = await portal.cli(['offline', 'drain']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, new RegExp(`resuming reserved batch\\(es\\) ${processId}`));
    assert.deepEqual(sorted(dealIds(again.stdout)), range(1, 8));
    assert.deepEqual(queueRows(portal), []);
    assert.deepEqual(state(portal, 'admin').processIds, []);
  } finally {
    await portal.close();
  }
});

test('two workers: a restart of one takes back its page, never the live one’s; two live drains never share a name', async () => {
  const portal = await offlinePortal();
  let second: RunningCli | undefined;
  try {
    enqueue(portal, 1, 9);
    const first = stuckDrain(portal);
    await until(() => reservedIds(portal).size === 1, 'the first page reserved');
    const [firstPage] = [...reservedIds(portal).keys()] as [string];
    second = stuckDrain(portal); // the default name is taken: it gets the next free one
    await until(() => reservedIds(portal).size === 2, 'the second page reserved');
    const secondPage = [...reservedIds(portal).keys()].find((id) => id !== firstPage) as string;
    await until(() => state(portal, 'admin-2').processIds.includes(secondPage), 'the second worker saved its page');
    assert.deepEqual(state(portal, 'admin').processIds, [firstPage]);

    const clash = await portal.cli(['offline', 'drain', '--worker', 'admin-2']);
    assert.equal(clash.code, 1);
    assert.match(clash.stderr, /^error: worker admin-2 is already running \(pid \d+ on .+\) — give this drain another --worker NAME/m);

    first.child.kill('SIGKILL');
    await first.done;
    const again = await portal.cli(['offline', 'drain', '--json']); // gets "admin" back: admin-2 is alive
    assert.equal(again.code, 0, again.stderr);
    // its own page is counted among the reserved records: not "an earlier drain's", which it resumes anyway
    assert.match(
      again.stderr,
      /^\d+ records of this queue are reserved, among them what admin's last run left \(resumed now\); of any others, if no other drain is running, `b24-events offline drain --resume` finishes them$/m,
    );
    assert.doesNotMatch(again.stderr, /reserved by an earlier drain/);
    assert.equal(JSON.parse(again.stderr.trim().split('\n').at(-1) ?? '').worker, 'admin', 'the --json summary names the worker');
    const secondIds = reservedIds(portal).get(secondPage) ?? [];
    assert.equal(secondIds.length, 3, 'the live worker keeps its page');
    assert.deepEqual(sorted([...dealIds(again.stdout), ...secondIds]), range(1, 9));
    assert.deepEqual([...reservedIds(portal).keys()], [secondPage]);
  } finally {
    second?.child.kill('SIGKILL');
    await second?.done;
    await portal.close();
  }
});
