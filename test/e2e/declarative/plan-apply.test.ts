import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseJson } from '../../helpers/cli.js';
import { setupPortal, type TestPortal } from '../../helpers/portal.js';
import { methodsSince, rest, storedBindings, writeManifest } from './helpers.js';

const manifest = {
  version: 1,
  bindings: [
    { event: 'onCrmDealAdd', handler: 'https://hooks.example.com/b24/deal' },
    { event: 'ONCRMDEALUPDATE', handler: 'https://hooks.example.com/b24/deal', auth_type: 1 },
    { event: 'ONCRMDEALUPDATE', offline: true },
    { event: 'ONOFFLINEEVENT', handler: 'https://hooks.example.com/b24/queue', options: { minTimeout: 30 } },
  ],
};

describe('plan and apply', () => {
  let portal: TestPortal;
  let file: string;
  before(async () => {
    portal = await setupPortal();
    portal.writeProfile('main');
    file = writeManifest(portal, 'b24-events.json', manifest);
  });
  after(() => portal.close());

  it('plan lists what apply would add, exits 0, and 3 with --detailed-exitcode', async () => {
    const plan = await portal.cli(['plan', '-f', file]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.equal(
      plan.stdout,
      [
        '+ ONCRMDEALADD → https://hooks.example.com/b24/deal',
        '+ ONCRMDEALUPDATE → https://hooks.example.com/b24/deal as user 1',
        '+ ONCRMDEALUPDATE → offline queue',
        '+ ONOFFLINEEVENT → https://hooks.example.com/b24/queue',
        '',
      ].join('\n'),
    );
    assert.match(plan.stderr, /Plan: 4 to add, 0 to remove, 0 unchanged/);
    const drift = await portal.cli(['plan', '-f', file, '--detailed-exitcode']);
    assert.equal(drift.code, 3);
    assert.deepEqual(storedBindings(portal), [], 'plan changes nothing');
  });

  it('apply --dry-run is plan: nothing changes', async () => {
    const result = await portal.cli(['apply', '-f', file, '--dry-run']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^\+ ONCRMDEALADD/);
    assert.deepEqual(storedBindings(portal), []);
  });

  it("apply --dry-run takes plan's --detailed-exitcode; apply itself refuses it", async () => {
    const drift = await portal.cli(['apply', '-f', file, '--dry-run', '--detailed-exitcode']);
    assert.equal(drift.code, 3, drift.stderr);
    const refused = await portal.cli(['apply', '-f', file, '--detailed-exitcode']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--detailed-exitcode goes with --dry-run/);
    assert.deepEqual(storedBindings(portal), []);
  });

  it('apply binds everything in one batch after one event.get, with options', async () => {
    const sent = portal.sandbox.requestLog().length;
    const result = await portal.cli(['apply', '-f', file]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(methodsSince(portal, sent), ['event.get', 'batch']);
    assert.match(result.stderr, /✓ added ONCRMDEALADD → https:\/\/hooks\.example\.com\/b24\/deal\n/);
    assert.match(result.stderr, /Applied: 4 added, 0 removed; 0 unchanged/);
    assert.deepEqual(storedBindings(portal), [
      { event: 'ONCRMDEALADD', handler: 'https://hooks.example.com/b24/deal', user: 0, connector: '', options: {} },
      { event: 'ONCRMDEALUPDATE', handler: '', user: 0, connector: '', options: {} },
      { event: 'ONCRMDEALUPDATE', handler: 'https://hooks.example.com/b24/deal', user: 1, connector: '', options: {} },
      { event: 'ONOFFLINEEVENT', handler: 'https://hooks.example.com/b24/queue', user: 0, connector: '', options: { minTimeout: 30 } },
    ]);
  });

  it('a second apply changes nothing and says so; plan is in sync', async () => {
    const sent = portal.sandbox.requestLog().length;
    const result = await portal.cli(['apply', '-f', file]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, 'Nothing to do: 4 bindings already match the manifest\n');
    assert.deepEqual(methodsSince(portal, sent), ['event.get']);
    const plan = await portal.cli(['plan', '-f', file, '--detailed-exitcode', '--json']);
    assert.equal(plan.code, 0, plan.stderr);
    const doc = parseJson<Record<string, unknown>>(plan);
    assert.equal(doc.in_sync, true);
    assert.equal(doc.unchanged, 4);
    assert.equal(doc.profile, 'main');
    assert.equal(doc.portal, portal.sandbox.url);
  });

  it('compares URLs exactly (trailing slash) and auth_type by value (string or number)', async () => {
    const variant = writeManifest(portal, 'variant.json', {
      bindings: [
        { event: 'ONCRMDEALADD', handler: 'https://hooks.example.com/b24/deal/' },
        { event: 'oncrmdealupdate', handler: 'https://hooks.example.com/b24/deal', auth_type: '1' },
      ],
    });
    const plan = await portal.cli(['plan', '-f', variant, '--json']);
    const doc = parseJson<{ add: unknown[]; unmanaged: unknown[]; unchanged: number }>(plan);
    assert.deepEqual(doc.add, [{ event: 'ONCRMDEALADD', handler: 'https://hooks.example.com/b24/deal/', offline: 0 }]);
    assert.equal(doc.unchanged, 1);
    assert.equal(doc.unmanaged.length, 3, 'the rest is kept without --prune');
  });

  it('reports each failure with its reason, applies the rest, and exits 1', async () => {
    const partial = writeManifest(portal, 'partial.json', {
      bindings: [
        { event: 'ONTASKADD', handler: 'https://hooks.example.com/b24/task' },
        { event: 'ONCALENDARENTRYADD', handler: 'https://hooks.example.com/b24/cal' },
        { event: 'ONUSERADD', handler: 'https://hooks.example.com/b24/user' },
      ],
    });
    const result = await portal.cli(['apply', '-f', partial]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /warning: failed ONCALENDARENTRYADD → https:\/\/hooks\.example\.com\/b24\/cal: .*ERROR_EVENT_NOT_FOUND.* — .*grant the application that event's scope/,
    );
    assert.match(result.stderr, /Applied: 2 added, 0 removed, 1 failed; 0 unchanged/);
    assert.match(result.stderr, /error: 1 of 3 changes failed; the others were applied/);
    const events = storedBindings(portal).map((b) => b.event);
    assert.ok(events.includes('ONTASKADD') && events.includes('ONUSERADD') && !events.includes('ONCALENDARENTRYADD'));

    const json = await portal.cli(['apply', '-f', partial, '--json']);
    assert.equal(json.code, 1);
    const doc = parseJson<{ failed: number; unchanged: number; changes: { status: string; event: string; error?: { code: string } }[] }>(json);
    assert.equal(doc.failed, 1);
    assert.equal(doc.unchanged, 2);
    assert.deepEqual(
      doc.changes.map((c) => [c.event, c.status, c.error?.code]),
      [['ONCALENDARENTRYADD', 'failed', 'ERROR_EVENT_NOT_FOUND']],
    );
  });

  it('treats a binding made meanwhile ("Handler already binded") as done', async () => {
    const racing = writeManifest(portal, 'racing.json', { bindings: [{ event: 'ONCRMLEADADD', handler: 'https://hooks.example.com/lead' }] });
    portal.sandbox.injectFault({ method: 'batch', times: 1, kind: 'delay', ms: 500 });
    const sent = portal.sandbox.requestLog().length;
    const run = portal.cli(['apply', '-f', racing]);
    // bind after the CLI read the portal, while its batch is still on the way
    for (let i = 0; i < 200 && !methodsSince(portal, sent).includes('batch'); i += 1) await new Promise((r) => setTimeout(r, 10));
    await rest(portal, 'event.bind', { event: 'ONCRMLEADADD', handler: 'https://hooks.example.com/lead' });
    const result = await run;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /ONCRMLEADADD → https:\/\/hooks\.example\.com\/lead is already bound/);
  });
});
