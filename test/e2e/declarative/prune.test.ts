import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseJson } from '../../helpers/cli.js';
import { setupPortal, type TestPortal } from '../../helpers/portal.js';
import { methodsSince, rest, storedBindings, writeManifest } from './helpers.js';

const HOOK = 'https://hooks.example.com/b24';

describe('apply --prune (administrator)', () => {
  let portal: TestPortal;
  let file: string;
  before(async () => {
    portal = await setupPortal();
    portal.writeProfile('main');
    await rest(portal, 'event.bind', { event: 'ONCRMDEALADD', handler: `${HOOK}/deal` });
    await rest(portal, 'event.bind', { event: 'ONTASKADD', handler: `${HOOK}/task`, auth_type: 0 });
    await rest(portal, 'event.bind', { event: 'ONTASKADD', handler: `${HOOK}/task`, auth_type: 1 });
    await rest(portal, 'event.bind', { event: 'ONCRMLEADADD', handler: `${HOOK}/old` });
    await rest(portal, 'event.bind', { event: 'ONCRMLEADADD', event_type: 'offline', auth_connector: 'erp' });
    await rest(portal, 'event.bind', { event: 'ONCRMLEADADD', event_type: 'offline' });
    file = writeManifest(portal, 'b24-events.json', {
      bindings: [
        { event: 'ONCRMDEALADD', handler: `${HOOK}/deal` },
        { event: 'ONTASKADD', handler: `${HOOK}/task`, auth_type: 1 },
        { event: 'ONCRMLEADADD', offline: true },
        { event: 'ONCRMCONTACTADD', offline: true, connector: 'erp' },
      ],
    });
  });
  after(() => portal.close());

  it('plan --prune shows the removals; --detailed-exitcode exits 3', async () => {
    const plan = await portal.cli(['plan', '-f', file, '--prune', '--detailed-exitcode']);
    assert.equal(plan.code, 3, plan.stderr);
    assert.equal(
      plan.stdout,
      [
        '+ ONCRMCONTACTADD → offline queue (connector erp)',
        `- ONTASKADD → ${HOOK}/task as the triggering user`,
        `- ONCRMLEADADD → ${HOOK}/old as the triggering user`,
        '- ONCRMLEADADD → offline queue (connector erp)',
        '',
      ].join('\n'),
    );
    assert.match(plan.stderr, /Plan: 1 to add, 3 to remove, 3 unchanged/);
  });

  it('without a terminal it needs --yes, and changes nothing', async () => {
    const before = storedBindings(portal);
    const sent = portal.sandbox.requestLog().length;
    const result = await portal.cli(['apply', '-f', file, '--prune']);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /error: --yes is required when not running interactively — Remove 3 bindings from main \(.*\) \(not in the manifest\): re-run with --yes/,
    );
    assert.deepEqual(methodsSince(portal, sent), ['event.get']);
    assert.deepEqual(storedBindings(portal), before);
  });

  it('with --yes removes exactly what the manifest does not list (other users and connectors kept)', async () => {
    const sent = portal.sandbox.requestLog().length;
    const result = await portal.cli(['apply', '-f', file, '--prune', '--yes', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(methodsSince(portal, sent), ['event.get', 'batch', 'batch'], 'one batch without connector, one for connector erp');
    const doc = parseJson<{ added: number; removed: number; unchanged: number }>(result);
    assert.deepEqual([doc.added, doc.removed, doc.unchanged], [1, 3, 3]);
    assert.deepEqual(
      storedBindings(portal).map(({ event, handler, user, connector }) => [event, handler, user, connector]),
      [
        ['ONCRMCONTACTADD', '', 0, 'erp'],
        ['ONCRMDEALADD', `${HOOK}/deal`, 0, ''],
        ['ONCRMLEADADD', '', 0, ''],
        ['ONTASKADD', `${HOOK}/task`, 1, ''],
      ],
    );
    const plan = await portal.cli(['plan', '-f', file, '--prune', '--detailed-exitcode']);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stderr, /No changes: 4 bindings in sync/);
  });
});

describe('apply --prune (non-administrator)', () => {
  let portal: TestPortal;
  before(async () => {
    portal = await setupPortal({ userId: 2 });
    portal.writeProfile('employee');
    await rest(portal, 'event.bind', { event: 'ONTASKADD', handler: `${HOOK}/mine-old` });
  });
  after(() => portal.close());

  it('binds as itself, stays in sync without auth_type, and unbinds its own handlers', async () => {
    const file = writeManifest(portal, 'b24-events.json', { bindings: [{ event: 'ONTASKUPDATE', handler: `${HOOK}/mine` }] });
    const result = await portal.cli(['apply', '-f', file, '--prune', '--yes']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /✓ removed ONTASKADD → https:\/\/hooks\.example\.com\/b24\/mine-old as user 2/);
    assert.deepEqual(
      storedBindings(portal).map(({ event, handler, user }) => [event, handler, user]),
      [['ONTASKUPDATE', `${HOOK}/mine`, 2]],
    );
    const plan = await portal.cli(['plan', '-f', file, '--prune', '--detailed-exitcode']);
    assert.equal(plan.code, 0, plan.stderr);
  });
});
