import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseJson } from '../../helpers/cli.js';
import { setupPortal } from '../../helpers/portal.js';
import { methodsSince, rest, storedBindings, writeManifest } from './helpers.js';

const HOOK = 'https://hooks.example.com/b24';

test('bind --connector without --offline is refused before any request', async () => {
  const portal = await setupPortal();
  try {
    portal.writeProfile('admin');
    const sent = portal.sandbox.requestLog().length;
    const result = await portal.cli(['bind', 'ONCRMDEALUPDATE', `${HOOK}/deal`, '--connector', 'erp']);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^error: --connector applies to offline subscriptions only — /);
    assert.deepEqual(methodsSince(portal, sent), [], 'nothing was sent');
    assert.deepEqual(storedBindings(portal), []);
    const offline = await portal.cli(['bind', 'ONCRMDEALUPDATE', '--offline', '--connector', 'erp']);
    assert.equal(offline.code, 0, offline.stderr);
  } finally {
    await portal.close();
  }
});

test('export of an online binding doubled by an auth_connector writes a manifest that plan accepts (round trip)', async () => {
  const portal = await setupPortal();
  try {
    portal.writeProfile('admin');
    // what `bind URL --connector` used to create: a second online row that only the connector tells apart
    await rest(portal, 'event.bind', { event: 'ONCRMDEALADD', handler: `${HOOK}/deal` });
    await rest(portal, 'event.bind', { event: 'ONCRMDEALADD', handler: `${HOOK}/deal`, auth_connector: 'erp' });
    await rest(portal, 'event.bind', { event: 'ONTASKADD', event_type: 'offline', auth_connector: 'erp' });
    const file = join(portal.configDir, 'exported.json');
    const written = await portal.cli(['export', '-o', file]);
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stderr, /ONCRMDEALADD https:\/\/hooks\.example\.com\/b24\/deal is bound 2 times, .*auth_connector.*lists it once/);
    const plan = await portal.cli(['plan', '-f', file, '--prune', '--detailed-exitcode']);
    assert.equal(plan.code, 0, `plan accepts the export and finds nothing to change: ${plan.stderr}`);
    const stdout = await portal.cli(['export']);
    assert.deepEqual(parseJson(stdout), {
      version: 1,
      bindings: [
        { event: 'ONCRMDEALADD', handler: `${HOOK}/deal`, auth_type: 0 },
        { event: 'ONTASKADD', offline: true, connector: 'erp' },
      ],
    });
  } finally {
    await portal.close();
  }
});

test('export refuses (and writes nothing) when a binding cannot be a manifest entry plan accepts', async () => {
  const portal = await setupPortal();
  try {
    portal.writeProfile('admin');
    await rest(portal, 'event.bind', { event: 'ONCRMDEALADD', handler: `${HOOK}/deal` });
    await rest(portal, 'event.bind', { event: 'ONCRMDEALUPDATE', handler: `${HOOK}/a b` });
    const file = join(portal.configDir, 'exported.json');
    const written = await portal.cli(['export', '-o', file]);
    assert.equal(written.code, 1, written.stderr);
    assert.match(
      written.stderr,
      /^error: the portal's bindings do not make a valid manifest: bindings\[1\] \(ONCRMDEALUPDATE\) handler: .*spaces.*; nothing was written — /,
    );
    assert.equal(existsSync(file), false);
    const stdout = await portal.cli(['export']);
    assert.equal(stdout.code, 1);
    assert.equal(stdout.stdout, '', 'no manifest on stdout either');
    // the same check plan makes: the entry export refused is refused by plan too
    const manual = writeManifest(portal, 'manual.json', { bindings: [{ event: 'ONCRMDEALUPDATE', handler: `${HOOK}/a b` }] });
    assert.equal((await portal.cli(['plan', '-f', manual])).code, 2);
  } finally {
    await portal.close();
  }
});
