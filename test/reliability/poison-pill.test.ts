// A record nested 20,000 levels deep (the portal stores and returns it; JSON.stringify cannot write it):
// it fails on its own with its reason, and the drain goes on, for the stdout, --pipe and --exec sinks.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { dealIds, enqueue, offlinePortal, queueRows, readLines } from '../e2e/offline/helpers.js';
import { send, startProxy } from './proxy.js';

const portal = await offlinePortal();
const DEPTH = 20_000;
const deep = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
// The sandbox keeps a marker; every reply that carries it gets the deep value in its place.
const proxy = await startProxy(portal.sandbox.url);
proxy.arm(
  () => true,
  async ({ res, forward }) => {
    const upstream = await forward();
    send(res, { ...upstream, body: Buffer.from(upstream.body.toString('utf8').replaceAll('"__DEEP__"', deep)) });
  },
  Infinity,
);
portal.writeProfile('admin', { portal: proxy.url, oauthServer: proxy.url });
after(async () => {
  await proxy.close();
  await portal.close();
});

/** Deals 1 and 3 are ordinary, deal 2 carries the deep value. */
function queueWithPoison(): void {
  enqueue(portal, 1, 1);
  portal.sandbox.trigger('ONCRMDEALUPDATE', { FIELDS: { ID: 2 }, DEEP: '__DEEP__' });
  enqueue(portal, 3, 3);
}

async function assertPoisonFlagged(stderr: string): Promise<void> {
  assert.match(stderr, /record \d+ ONCRMDEALUPDATE \([0-9a-f]{32}\) failed: the record cannot be written as JSON \(nested too deeply\)/);
  assert.doesNotMatch(stderr, /^error:/m);
  const rows = queueRows(portal);
  assert.deepEqual(
    rows.map((row) => [row.EVENT_DATA.FIELDS.ID, row.ERROR, row.PROCESS_ID]),
    [[2, 1, '']],
    'only the deep record is left, flagged as failed',
  );
  assert.equal((await portal.cli(['offline', 'clear', '--all', '--yes'])).code, 0);
}

test('stdout sink: the deep record is a failed event, the others are written and confirmed', async () => {
  queueWithPoison();
  const result = await portal.cli(['offline', 'drain']);
  assert.equal(result.code, 1, result.stderr);
  assert.deepEqual(dealIds(result.stdout), [1, 3]);
  await assertPoisonFlagged(result.stderr);
});

test('--pipe: the deep record fails at once instead of waiting for an answer that never comes', async () => {
  queueWithPoison();
  const ack = `"${process.execPath}" -e "require('readline').createInterface({input:process.stdin}).on('line',l=>console.log(JSON.stringify({id:JSON.parse(l).ID,ok:true})))"`;
  const result = await portal.cli(['offline', 'drain', '--pipe', ack, '--handler-timeout', '3']);
  assert.equal(result.code, 1, result.stderr);
  await assertPoisonFlagged(result.stderr);
});

test('--exec: the deep record fails without running the command', async () => {
  queueWithPoison();
  const out = join(portal.scratch, 'exec.ndjson');
  const result = await portal.cli(['offline', 'drain', '--exec', `cat >> ${out}`]);
  assert.equal(result.code, 1, result.stderr);
  assert.deepEqual(dealIds(readLines(out)), [1, 3]);
  await assertPoisonFlagged(result.stderr);
});
