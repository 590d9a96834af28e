import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson } from '../../helpers/cli.js';
import { assertNoSecrets, secretsOf, setupPortal } from '../../helpers/portal.js';

const portal = await setupPortal({ scopes: ['crm', 'task'] });
portal.writeProfile('admin');
after(() => portal.close());
const URL_A = 'https://hooks.example.com/b24/a';
const URL_B = 'https://hooks.example.com/b24/b';

test('bind, then handlers shows it with the portal field names', async () => {
  const bind = await portal.cli(['bind', 'onCrmDealAdd', URL_A]);
  assert.equal(bind.code, 0, bind.stderr);
  assert.equal(bind.stdout, '');
  assert.match(bind.stderr, /Bound ONCRMDEALADD → https:\/\/hooks\.example\.com\/b24\/a/);
  const list = await portal.cli(['handlers', '--json']);
  assert.equal(list.code, 0);
  assert.deepEqual(parseJson(list), [{ event: 'ONCRMDEALADD', handler: URL_A, auth_type: '0', offline: 0 }]);
  assertNoSecrets(list, secretsOf(portal));
});

test('a duplicate bind is "already bound", exit 0; --strict makes it exit 1', async () => {
  const again = await portal.cli(['bind', 'ONCRMDEALADD', URL_A, '--json']);
  assert.equal(again.code, 0);
  assert.deepEqual(parseJson(again), { event: 'ONCRMDEALADD', handler: URL_A, offline: 0, status: 'already-bound' });
  const strict = await portal.cli(['bind', 'ONCRMDEALADD', URL_A, '--strict']);
  assert.equal(strict.code, 1);
  assert.match(strict.stderr, /is already bound — drop --strict/);
  assert.equal(portal.sandbox.handlers(portal.app.clientId).length, 1);
});

test('offline bind, auth_type bind and ONOFFLINEEVENT with --min-timeout', async () => {
  assert.equal((await portal.cli(['bind', 'ONCRMDEALUPDATE', '--offline'])).code, 0);
  assert.equal((await portal.cli(['bind', 'ONTASKADD', URL_B, '--auth-type', '2'])).code, 0);
  const onOffline = await portal.cli(['bind', 'ONOFFLINEEVENT', URL_B, '--min-timeout', '30', '--json']);
  assert.equal(onOffline.code, 0, onOffline.stderr);
  assert.equal(parseJson<{ status: string }>(onOffline).status, 'bound');
  const rows = parseJson<Record<string, unknown>[]>(await portal.cli(['handlers', '--json']));
  assert.deepEqual(
    rows.find((r) => r.event === 'ONCRMDEALUPDATE'),
    { event: 'ONCRMDEALUPDATE', connector_id: '', offline: 1 },
  );
  assert.equal(rows.find((r) => r.event === 'ONTASKADD')?.auth_type, '2');
  const raw = portal.sandbox.handlers(portal.app.clientId) as { EVENT_NAME?: string; event?: string; OPTIONS?: unknown; options?: unknown }[];
  const stored = raw.find((h) => (h.EVENT_NAME ?? h.event) === 'ONOFFLINEEVENT');
  assert.deepEqual(stored?.OPTIONS ?? stored?.options, { minTimeout: 30 });
});

test('handlers filters, and prints tab-separated rows when piped', async () => {
  const filtered = await portal.cli(['handlers', '--event', 'oncrmdealadd']);
  assert.equal(filtered.stdout, `ONCRMDEALADD\tonline\t${URL_A}\t0\t\n`);
  // piped, the handler column holds only URLs and the connector has its own column
  const offline = await portal.cli(['handlers', '--event', 'ONCRMDEALUPDATE']);
  assert.equal(offline.stdout, 'ONCRMDEALUPDATE\toffline\t\t\t\n');
  const byUrl = parseJson<unknown[]>(await portal.cli(['list', '--handler', URL_B, '--json']));
  assert.equal(byUrl.length, 2);
  const none = await portal.cli(['handlers', '--event', 'ONUSERADD']);
  assert.equal(none.code, 0);
  assert.equal(none.stdout, '');
});

test('an event outside the scopes is refused by the portal: exit 2, and the hint says it is the scope', async () => {
  const result = await portal.cli(['bind', 'ONUSERADD', URL_A]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /ONUSERADD exists on this portal but is outside the application's scopes \(ERROR_EVENT_NOT_FOUND\)/);
});

test('a private handler address is accepted (a local portal can reach it)', async () => {
  const result = await portal.cli(['bind', 'ONCRMLEADADD', 'http://192.168.1.20/hook']);
  assert.equal(result.code, 0);
});

test('unbind reports the count; 0 is fine unless --strict', async () => {
  const removed = await portal.cli(['unbind', 'ONCRMLEADADD', 'http://192.168.1.20/hook', '--json']);
  assert.equal(removed.code, 0);
  assert.equal(parseJson<{ removed: number }>(removed).removed, 1);
  const nothing = await portal.cli(['unbind', 'ONCRMDEALADD', `${URL_A}/`]);
  assert.equal(nothing.code, 0);
  assert.match(nothing.stderr, /No handler matched .* \(URLs must match exactly\)/);
  const strict = await portal.cli(['unbind', 'ONCRMDEALADD', `${URL_A}/`, '--strict']);
  assert.equal(strict.code, 1);
  const offline = await portal.cli(['unbind', 'ONCRMDEALUPDATE', '--offline', '--json']);
  assert.equal(parseJson<{ removed: number; offline: number }>(offline).removed, 1);
});

test('unbind --handler URL alone means every event: it asks first, and without a TTY it needs --yes and changes nothing', async () => {
  await portal.cli(['bind', 'ONCRMLEADADD', URL_B]);
  const before = portal.sandbox.handlers(portal.app.clientId).length;
  for (const args of [
    ['unbind', '--handler', URL_B],
    ['unbind', '--handler', URL_B, '--all-events'],
  ]) {
    const refused = await portal.cli(args);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--yes is required/);
  }
  assert.equal(portal.sandbox.handlers(portal.app.clientId).length, before);
  const done = await portal.cli(['unbind', '--handler', URL_B, '--yes', '--json']);
  assert.equal(done.code, 0, done.stderr);
  const body = parseJson<{ removed: number; events: { event: string; removed: number }[] }>(done);
  assert.equal(body.removed, 3);
  assert.deepEqual(body.events.map((e) => e.event).sort(), ['ONCRMLEADADD', 'ONOFFLINEEVENT', 'ONTASKADD']);
  const left = parseJson<{ handler?: string }[]>(await portal.cli(['handlers', '--json']));
  assert.ok(left.every((h) => h.handler !== URL_B));
  // with an event, --handler is that event's handler URL
  assert.equal((await portal.cli(['bind', 'ONCRMLEADADD', URL_B])).code, 0);
  const one = await portal.cli(['unbind', 'ONCRMLEADADD', '--handler', URL_B, '--json']);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(parseJson<{ removed: number }>(one).removed, 1);
});

test('events --scope with a scope the portal does not have says so (exit 2), not an empty list', async () => {
  const result = await portal.cli(['events', '--scope', 'nosuch']);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^error: this portal has no scope "nosuch" — scopes: .*\bcrm\b/);
});

test('events: default = granted scopes + global; --scope, --all, --grep', async () => {
  const all = parseJson<string[]>(await portal.cli(['events', '--json']));
  assert.ok(all.includes('ONCRMDEALADD') && all.includes('ONTASKADD') && all.includes('ONOFFLINEEVENT'));
  assert.ok(!all.includes('ONUSERADD'), 'user scope not granted');
  const user = parseJson<string[]>(await portal.cli(['events', '--scope', 'user', '--json']));
  assert.ok(user.includes('ONUSERADD') && !user.includes('ONAPPINSTALL'));
  const full = parseJson<string[]>(await portal.cli(['events', '--all', '--json']));
  assert.ok(full.includes('ONUSERADD') && full.includes('ONCRMDEALADD'));
  const grep = await portal.cli(['events', '--grep', 'dealadd']);
  assert.equal(grep.stdout, 'ONCRMDEALADD\n');
  assert.equal((await portal.cli(['events', '--all', '--scope', 'crm'])).code, 2);
});

test('handlers on a narrow terminal: one block per handler, the URL whole on its line', async () => {
  const long = `https://hooks.example.com/${'deep/'.repeat(12)}handler`;
  assert.equal((await portal.cli(['bind', 'ONCRMDEALDELETE', long])).code, 0);
  const result = await portal.cli(['handlers', '--event', 'ONCRMDEALDELETE'], { tty: { stdoutIsTTY: true, columns: 60 } });
  assert.equal(result.code, 0, result.stderr);
  assert.ok(result.stdout.split('\n').includes(`HANDLER    ${long}`), result.stdout);
  assert.ok(result.stdout.split('\n').includes('AUTH_TYPE  0 (triggering user)'), result.stdout);
  const wide = await portal.cli(['handlers', '--event', 'ONCRMDEALDELETE'], { tty: { stdoutIsTTY: true, columns: 200 } });
  assert.match(
    wide.stdout,
    /^EVENT\s+TYPE\s+HANDLER\s+AUTH_TYPE\s+CONNECTOR\nONCRMDEALDELETE\s+online\s+https:\/\/hooks\.example\.com\/(deep\/){12}handler\s+0 \(triggering user\)\n$/,
  );
});
