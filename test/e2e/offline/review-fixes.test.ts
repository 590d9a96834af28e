import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rest } from '../declarative/helpers.js';
import { dealIds, enqueue, offlinePortal, queueRows, range, sorted } from './helpers.js';

test('--resume re-reads a reserved batch in small pages without deleting the rest (never clear=1)', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 30);
    const taken = (await rest(portal, 'event.offline.get', { clear: 0, limit: 30 })) as { process_id: string };
    assert.equal(queueRows(portal).filter((r) => r.PROCESS_ID === taken.process_id).length, 30);

    const emptyIds = await portal.cli(['offline', 'clear', '--process-id', taken.process_id, '--message-id', '']);
    assert.equal(emptyIds.code, 2);
    assert.match(emptyIds.stderr, /names no record; nothing was changed/);
    assert.equal(queueRows(portal).length, 30, 'an empty id list did not confirm the whole batch');

    const resumed = await portal.cli(['offline', 'drain', '--resume', taken.process_id, '--batch', '5']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(sorted(dealIds(resumed.stdout)), range(1, 30), 'all 30 delivered, none deleted unread');
    assert.deepEqual(queueRows(portal), []);
  } finally {
    await portal.close();
  }
});

test('--event "" is refused instead of meaning every event; --resume with --event is refused', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 3);
    const result = await portal.cli(['offline', 'drain', '--event', '']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--event: must name an event/);
    const resume = await portal.cli(['offline', 'drain', '--resume', '--event', 'ONCRMDEALUPDATE']);
    assert.equal(resume.code, 2);
    assert.match(resume.stderr, /--resume takes reserved batches whole/);
    assert.equal(queueRows(portal).length, 3);
  } finally {
    await portal.close();
  }
});

test('offline error refuses rows that are error rows already (the portal would delete newer copies)', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 1);
    assert.equal((await portal.cli(['offline', 'drain', '--exec', 'exit 1'])).code, 1);
    const again = await portal.cli(['offline', 'drain', '--errors', '--exec', 'exit 1']);
    assert.equal(again.code, 1);
    const [row] = queueRows(portal);
    assert.ok(row && row.PROCESS_ID !== '' && Number(row.ERROR) === 1, 'the re-failed error row stays reserved');
    const result = await portal.cli(['offline', 'error', '--process-id', row.PROCESS_ID, '--message-id', row.MESSAGE_ID]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /as error rows already; nothing was changed/);
  } finally {
    await portal.close();
  }
});

test('a page read whose reply is lost is not reported as success (exit 1, says so)', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 20);
    portal.sandbox.injectFault({ method: 'batch', kind: 'delay', ms: 1500, times: 1 });
    const result = await portal.cli(['--timeout', '1', 'offline', 'drain', '--batch', '10']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /lost their reply and may have reserved records/);
  } finally {
    await portal.close();
  }
});

test('--forward-to a wrong URL (404 every time) stops the drain instead of flagging the whole queue', async () => {
  const { createServer } = await import('node:http');
  const portal = await offlinePortal();
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(404).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    enqueue(portal, 1, 40);
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/wrong`;
    const result = await portal.cli(['offline', 'drain', '--forward-to', url, '--batch', '20']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /the URL looks wrong/);
    assert.equal(queueRows(portal).filter((row) => Number(row.ERROR) === 1).length, 0, 'nothing was flagged');
    assert.equal(queueRows(portal).filter((row) => row.PROCESS_ID !== '').length, 20, 'the page stays reserved');
    assert.equal(queueRows(portal).length, 40, 'nothing was deleted');
  } finally {
    server.close();
    await portal.close();
  }
});

test('offline clear of a batch that does not exist is refused; offline list honours --fields', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 2);
    const unknown = await portal.cli(['offline', 'clear', '--process-id', 'no-such-batch']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /batch no-such-batch holds no records; nothing was changed/);
    const listed = await portal.cli(['offline', 'list', '--fields', 'ID,EVENT_NAME']);
    assert.equal(listed.code, 0, listed.stderr);
    const rows = JSON.parse(listed.stdout) as Record<string, unknown>[];
    assert.equal(rows.length, 2);
    assert.ok(rows.every((row) => Object.keys(row).join(',') === 'ID,EVENT_NAME'));
    const typo = await portal.cli(['offline', 'list', '--fields', 'bogus']);
    assert.equal(typo.code, 2);
    assert.equal(typo.stdout, '', 'refused before any output');
  } finally {
    await portal.close();
  }
});
