// A drain killed with SIGKILL: its --exec / --pipe handlers (in process groups of their own) are
// stopped by its reaper, and an --exec handler never reads a cut or empty event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { enqueue, offlinePortal, startCli, until } from './helpers.js';

/** Whether a process is gone (a zombie nobody reaped counts as gone). */
function gone(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      return / Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/, ''));
    } catch {
      return true;
    }
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // gone
  }
}

for (const sink of ['--exec', '--pipe']) {
  test(`SIGKILL of the drain: its ${sink} handler is stopped too, and the scratch folder is removed`, async () => {
    const portal = await offlinePortal();
    const pidFile = join(portal.scratch, 'handler.pid');
    let pid = 0;
    try {
      enqueue(portal, 1, 3);
      const run = startCli(portal, ['offline', 'drain', sink, `echo $$ > ${pidFile}; exec sleep 30`], { TMPDIR: portal.scratch });
      await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'), 'the handler started');
      pid = Number(readFileSync(pidFile, 'utf8'));
      assert.equal(gone(pid), false);
      run.child.kill('SIGKILL');
      await run.done;
      await until(() => gone(pid), 'the handler stopped after its drain was killed', 8_000);
      await until(() => readdirSync(portal.scratch).every((name) => !name.startsWith('b24-events-exec-')), 'the scratch folder removed', 8_000);
    } finally {
      if (pid) killQuietly(pid);
      await portal.close();
    }
  });
}

test('--exec: a handler whose drain dies as it starts still reads the whole event, never a cut one', async () => {
  const portal = await offlinePortal();
  try {
    const blob = 'x'.repeat(300_000); // several times a pipe's buffer: a pipe would cut it
    portal.sandbox.trigger('ONCRMDEALUPDATE', { FIELDS: { ID: 7 }, BLOB: blob });
    const out = join(portal.scratch, 'event.json');
    // the handler's shell is the drain's child: it kills the drain before reading anything
    const run = startCli(portal, ['offline', 'drain', '--exec', `trap '' TERM; kill -9 $PPID; cat > ${out}.part && mv ${out}.part ${out}`]);
    const result = await run.done;
    assert.equal(result.signal, 'SIGKILL');
    await until(() => existsSync(out), 'the handler finished reading');
    const event = JSON.parse(readFileSync(out, 'utf8')) as { EVENT_DATA: { FIELDS: { ID: number }; BLOB: string } };
    assert.equal(event.EVENT_DATA.FIELDS.ID, 7);
    assert.equal(event.EVENT_DATA.BLOB.length, blob.length);
  } finally {
    await portal.close();
  }
});
