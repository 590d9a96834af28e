import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseJson } from '../../helpers/cli.js';
import { setupPortal, type TestPortal } from '../../helpers/portal.js';
import { addProfileFor, methodsSince, storedBindings, writeManifest } from './helpers.js';

interface PortalDoc {
  profile: string;
  portal: string;
  add?: unknown[];
  added?: number;
  unchanged?: number;
  error?: { code: string; message: string };
}

describe('several portals: --profile A --profile B, --all-profiles', () => {
  let a: TestPortal;
  let b: TestPortal;
  let file: string;
  before(async () => {
    [a, b] = await Promise.all([setupPortal(), setupPortal()]);
    a.writeProfile('staging');
    addProfileFor(a, 'prod', b);
    file = writeManifest(a, 'b24-events.json', {
      bindings: [
        { event: 'ONCRMDEALADD', handler: 'https://hooks.example.com/b24/deal' },
        { event: 'ONTASKADD', handler: 'https://hooks.example.com/b24/task' },
      ],
    });
  });
  after(() => Promise.all([a.close(), b.close()]));

  it('plan reports per portal: headings on a readable diff, {"portals": […]} with --json', async () => {
    const text = await a.cli(['plan', '-f', file, '--profile', 'staging', '--profile', 'prod']);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(
      text.stdout,
      [
        `staging (${a.sandbox.url}):`,
        '+ ONCRMDEALADD → https://hooks.example.com/b24/deal',
        '+ ONTASKADD → https://hooks.example.com/b24/task',
        `prod (${b.sandbox.url}):`,
        '+ ONCRMDEALADD → https://hooks.example.com/b24/deal',
        '+ ONTASKADD → https://hooks.example.com/b24/task',
        '',
      ].join('\n'),
    );
    const json = await a.cli(['--profile', 'staging', 'plan', '-f', file, '--profile', 'prod', '--json']);
    const doc = parseJson<{ portals: PortalDoc[] }>(json);
    assert.deepEqual(
      doc.portals.map((p) => [p.profile, p.portal, p.add?.length]),
      [
        ['staging', a.sandbox.url, 2],
        ['prod', b.sandbox.url, 2],
      ],
    );
  });

  it('apply applies the same manifest to each portal', async () => {
    const [sentA, sentB] = [a.sandbox.requestLog().length, b.sandbox.requestLog().length];
    const result = await a.cli(['apply', '-f', file, '--profile', 'staging', '--profile', 'prod', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const doc = parseJson<{ portals: PortalDoc[] }>(result);
    assert.deepEqual(
      doc.portals.map((p) => [p.profile, p.added]),
      [
        ['staging', 2],
        ['prod', 2],
      ],
    );
    assert.deepEqual(methodsSince(a, sentA), ['event.get', 'batch']);
    assert.deepEqual(methodsSince(b, sentB), ['event.get', 'batch']);
    assert.deepEqual(storedBindings(a), storedBindings(b));
    assert.equal(storedBindings(b).length, 2);
  });

  it('--all-profiles covers every saved profile', async () => {
    const result = await a.cli(['plan', '-f', file, '--all-profiles', '--detailed-exitcode']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr.match(/No changes: 2 bindings in sync/g)?.length, 2);
  });

  it("refreshes and saves each profile's own tokens", async () => {
    b.sandbox.expireAccessTokens();
    const before = a.readConfig().profiles;
    const result = await a.cli(['plan', '-f', file, '--all-profiles']);
    assert.equal(result.code, 0, result.stderr);
    const after = a.readConfig().profiles;
    assert.equal(after.staging?.refreshToken, before.staging?.refreshToken);
    assert.notEqual(after.prod?.refreshToken, before.prod?.refreshToken);
  });

  it('a failing portal is reported with its name while the others are handled; exit 1', async () => {
    const changed = writeManifest(a, 'changed.json', { bindings: [{ event: 'ONUSERADD', handler: 'https://hooks.example.com/b24/user' }] });
    b.sandbox.injectFault({ method: 'event.get', times: 1, kind: 'error', status: 403, error: 'ACCESS_DENIED', description: 'Access denied!' });
    const result = await a.cli(['apply', '-f', changed, '--all-profiles', '--json']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`^error: prod \\(${b.sandbox.url.replace(/[.]/g, '\\.')}\\): event\\.get: .*ACCESS_DENIED`, 'm'));
    assert.match(result.stderr, /error: 1 of 2 portals failed/);
    const doc = parseJson<{ portals: PortalDoc[] }>(result);
    assert.deepEqual(
      doc.portals.map((p) => [p.profile, p.added ?? null, p.error?.code ?? null]),
      [
        ['staging', 1, null],
        ['prod', null, 'ACCESS_DENIED'],
      ],
    );
    assert.ok(storedBindings(a).some((row) => row.event === 'ONUSERADD'));
    assert.ok(!storedBindings(b).some((row) => row.event === 'ONUSERADD'));
  });

  it('refuses unknown profiles and --all-profiles with --profile before any request', async () => {
    const [sentA, sentB] = [a.sandbox.requestLog().length, b.sandbox.requestLog().length];
    const unknown = await a.cli(['apply', '-f', file, '--profile', 'staging', '--profile', 'nope']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /profile "nope" does not exist — known profiles: staging, prod/);
    const both = await a.cli(['plan', '-f', file, '--profile', 'staging', '--all-profiles']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--all-profiles cannot be combined with --profile/);
    assert.deepEqual([methodsSince(a, sentA), methodsSince(b, sentB)], [[], []]);
  });
});
