// SIGKILL with several pages in hand (the built binary, the stdout sink): every reserved page stays on
// the portal under its own id, and --resume delivers every event; what is seen twice is at most what
// the killed drain held.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dealIds, enqueue, offlinePortal, queueRows, range, startCli, unique, until } from './helpers.js';

const PAGE = 500;

test('SIGKILL with several pages in hand loses nothing: --resume delivers every event, repeats bounded by the pages in hand', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 10 * PAGE);
    // request 1 reads page 1, request 2 reads pages 2-5 (page 1 is confirmed with the next request): kill during page 3
    const run = startCli(portal, ['offline', 'drain', '--batch', String(PAGE)]);
    // Stop reading at once: the drain's writes to the full pipe block it, so it cannot run ahead of the kill.
    const stdout = run.child.stdout;
    assert.ok(stdout);
    let lines = 0;
    const stopReading = (chunk: string) => {
      lines += chunk.split('\n').length - 1;
      if (lines < 2.4 * PAGE) return;
      stdout.pause();
      stdout.off('data', stopReading);
    };
    stdout.on('data', stopReading);
    await until(() => stdout.isPaused(), 'events of page 3 on stdout');
    run.child.kill('SIGKILL');
    stdout.resume(); // what the pipe still holds was written, so it counts as delivered
    const killed = await run.done;
    assert.equal(killed.signal, 'SIGKILL');
    const seen = dealIds(completeLines(killed.stdout));

    const reserved = queueRows(portal).filter((row) => row.PROCESS_ID !== '');
    const inHand = new Set(reserved.map((row) => row.PROCESS_ID));
    assert.ok(inHand.size >= 2, `several pages were in hand, each reserved under its own id (${inHand.size})`);
    assert.ok(reserved.length <= 5 * PAGE, `no more than the pages in hand stay reserved (${reserved.length})`);
    // pages never read stay unreserved: the queue's tail, in order (how far the drain got before the kill
    // depends on the machine: usually pages 6-10)
    const unreserved = queueRows(portal)
      .filter((row) => row.PROCESS_ID === '')
      .map((row) => row.EVENT_DATA.FIELDS.ID);
    const firstUnread = unreserved[0] ?? 10 * PAGE + 1;
    assert.deepEqual(unreserved, range(firstUnread, 10 * PAGE), `pages never read stay unreserved (${reserved.length} rows reserved)`);
    assert.equal((firstUnread - 1) % PAGE, 0, 'whole pages are read or not');

    const resumed = await portal.cli(['offline', 'drain', '--resume']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const again = dealIds(resumed.stdout);
    assert.deepEqual(unique([...seen, ...again]), range(1, 10 * PAGE), 'every event delivered');
    const repeats = seen.length + again.length - 10 * PAGE;
    assert.ok(repeats >= 0 && repeats <= reserved.length, `repeats (${repeats}) are events of the pages in hand (${reserved.length})`);
    assert.deepEqual(queueRows(portal), []);
  } finally {
    await portal.close();
  }
});

/** NDJSON up to the last newline (a SIGKILL may cut a line short; a cut event was not delivered). */
function completeLines(text: string): string {
  return text.slice(0, text.lastIndexOf('\n') + 1);
}
