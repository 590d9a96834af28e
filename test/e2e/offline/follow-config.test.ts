// A running `drain --follow` worker and a config file that is invalid for a while (an editor's
// half-save, a bad hand edit): the worker keeps delivering with the token it holds, and carries on
// once the file is whole again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dealIds, enqueue, offlinePortal, queueRows, range, startCli, until } from './helpers.js';

test('drain --follow survives a transiently invalid config.json and keeps delivering with its token in hand', async () => {
  const portal = await offlinePortal();
  const configFile = join(portal.configDir, 'config.json');
  const good = readFileSync(configFile, 'utf8');
  try {
    enqueue(portal, 1, 3);
    const run = startCli(portal, ['offline', 'drain', '--follow']);
    await until(() => dealIds(run.stdout()).length === 3, 'the first events');

    writeFileSync(configFile, '{"profiles": {"admin": {"portal": ');
    enqueue(portal, 4, 6);
    await until(() => dealIds(run.stdout()).length === 6, 'events queued while the file was invalid');
    writeFileSync(configFile, good);
    enqueue(portal, 7, 9);
    await until(() => dealIds(run.stdout()).length === 9, 'events queued after it was restored');

    assert.equal(run.child.exitCode, null, `the worker is still running:\n${run.stderr()}`);
    run.child.kill('SIGTERM');
    const result = await run.done;
    assert.equal(result.code, 130, result.stderr);
    assert.deepEqual(dealIds(result.stdout), range(1, 9));
    assert.deepEqual(queueRows(portal), []);
    assert.doesNotMatch(result.stderr, /error:/);
  } finally {
    await portal.close();
  }
});
