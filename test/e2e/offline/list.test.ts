import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson } from '../../helpers/cli.js';
import { assertNoSecrets, secretsOf } from '../../helpers/portal.js';
import { enqueue, offlinePortal, queueRows, range, requestsOf } from './helpers.js';

test('offline list follows every page (120 rows = 3 pages) and changes nothing', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 120);
    const before = JSON.stringify(queueRows(portal));
    const tsv = await portal.cli(['offline', 'list']);
    assert.equal(tsv.code, 0, tsv.stderr);
    const lines = tsv.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 120);
    const rows = queueRows(portal);
    assert.deepEqual(lines[0]?.split('\t'), [String(rows[0]?.ID), lines[0]?.split('\t')[1], 'ONCRMDEALUPDATE', rows[0]?.MESSAGE_ID, '', '0']);
    assert.equal(requestsOf(portal, 'event.offline.list'), 3);

    const json = await portal.cli(['offline', 'list', '--json']);
    assert.equal(json.code, 0, json.stderr);
    const parsed = parseJson<Record<string, unknown>[]>(json);
    assert.deepEqual(
      parsed.map((row) => Number(row.ID)),
      rows.map((row) => row.ID),
    );
    assert.deepEqual(Object.keys(parsed[0] ?? {}), ['ID', 'TIMESTAMP_X', 'EVENT_NAME', 'EVENT_DATA', 'EVENT_ADDITIONAL', 'MESSAGE_ID', 'PROCESS_ID', 'ERROR']);
    assert.equal(JSON.stringify(queueRows(portal)), before, 'list reserves and deletes nothing');
    assertNoSecrets(tsv, secretsOf(portal));
    assertNoSecrets(json, secretsOf(portal));
  } finally {
    await portal.close();
  }
});

test('offline list shows error flags and filters by flag, process id and event', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 10);
    // drain 4 events; the command fails on deal 3, which is flagged
    const drained = await portal.cli(['offline', 'drain', '--max', '4', '--exec', 'grep -q \'"ID":3}\' && exit 1; cat >/dev/null']);
    assert.equal(drained.code, 1, drained.stderr);
    const flagged = await portal.cli(['offline', 'list', '--errors', '--json']);
    assert.deepEqual(
      parseJson<{ EVENT_DATA: { FIELDS: { ID: number } }; ERROR: string; PROCESS_ID: string }[]>(flagged).map((r) => [
        r.EVENT_DATA.FIELDS.ID,
        r.ERROR,
        r.PROCESS_ID,
      ]),
      [[3, '1', '']],
    );
    const all = await portal.cli(['offline', 'list', '--json']);
    assert.deepEqual(
      parseJson<{ EVENT_DATA: { FIELDS: { ID: number } } }[]>(all).map((r) => r.EVENT_DATA.FIELDS.ID),
      [3, ...range(5, 10)],
    );
    const none = await portal.cli(['offline', 'list', '--process-id', 'nosuchbatch00000000000000000000x']);
    assert.equal(none.code, 0);
    assert.equal(none.stdout, '');
    const byEvent = await portal.cli(['offline', 'list', '--event', 'onCrmDealAdd', '--json']);
    assert.deepEqual(parseJson(byEvent), []);
  } finally {
    await portal.close();
  }
});

test('offline list refuses an empty --process-id before any request', async () => {
  const portal = await offlinePortal();
  try {
    const result = await portal.cli(['offline', 'list', '--process-id', '  ']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^error: --process-id: must not be empty/);
    assert.equal(requestsOf(portal, 'event.offline.list'), 0);
  } finally {
    await portal.close();
  }
});
