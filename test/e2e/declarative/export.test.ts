import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseJson } from '../../helpers/cli.js';
import { setupPortal, type TestPortal } from '../../helpers/portal.js';
import { methodsSince, readText, rest, storedBindings, type StoredBinding } from './helpers.js';

const HOOK = 'https://hooks.example.com/b24';
const withoutOptions = (rows: StoredBinding[]) => rows.map(({ options: _options, ...row }) => row);

describe('export → apply on an empty portal → plan shows no changes', () => {
  let source: TestPortal;
  let target: TestPortal;
  before(async () => {
    [source, target] = await Promise.all([setupPortal(), setupPortal()]);
    source.writeProfile('source');
    target.writeProfile('target');
    await rest(source, 'event.bind', { event: 'ONCRMDEALADD', handler: `${HOOK}/deal` });
    await rest(source, 'event.bind', { event: 'ONCRMDEALADD', handler: `${HOOK}/deal/` });
    await rest(source, 'event.bind', { event: 'ONCRMDEALADD', handler: `${HOOK}/deal`, auth_type: 2 });
    await rest(source, 'event.bind', { event: 'ONTASKADD', event_type: 'offline' });
    await rest(source, 'event.bind', { event: 'ONTASKADD', event_type: 'offline', auth_connector: 'erp' });
    await rest(source, 'event.bind', { event: 'ONOFFLINEEVENT', handler: `${HOOK}/queue`, options: { minTimeout: 10 } });
  });
  after(() => Promise.all([source.close(), target.close()]));

  it('prints the manifest as JSON on stdout, sorted, with explicit auth_type', async () => {
    const result = await source.cli(['export']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(parseJson(result), {
      version: 1,
      bindings: [
        { event: 'ONCRMDEALADD', handler: `${HOOK}/deal`, auth_type: 0 },
        { event: 'ONCRMDEALADD', handler: `${HOOK}/deal`, auth_type: 2 },
        { event: 'ONCRMDEALADD', handler: `${HOOK}/deal/`, auth_type: 0 },
        { event: 'ONOFFLINEEVENT', handler: `${HOOK}/queue`, auth_type: 0 },
        { event: 'ONTASKADD', offline: true },
        { event: 'ONTASKADD', offline: true, connector: 'erp' },
      ],
    });
    assert.match(result.stderr, /the portal does not report options/);
  });

  it('round-trips through a JSON file', async () => {
    const file = join(source.configDir, 'exported.json');
    const written = await source.cli(['export', '-o', file]);
    assert.equal(written.code, 0, written.stderr);
    assert.equal(written.stdout, '');
    assert.match(written.stderr, /✓ Wrote 6 bindings to .*exported\.json/);
    assert.deepEqual(JSON.parse(readText(file)), parseJson(await source.cli(['export'])));

    const applied = await target.cli(['apply', '-f', file]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stderr, /Applied: 6 added, 0 removed; 0 unchanged/);
    const plan = await target.cli(['plan', '-f', file, '--prune', '--detailed-exitcode']);
    assert.equal(plan.code, 0, plan.stderr);
    assert.equal(plan.stdout, '');
    assert.deepEqual(withoutOptions(storedBindings(target)), withoutOptions(storedBindings(source)));
  });

  it('writes YAML for .yaml/.yml, which plan reads back the same', async () => {
    const file = join(source.configDir, 'exported.yaml');
    const written = await source.cli(['export', '-o', file]);
    assert.equal(written.code, 0, written.stderr);
    const text = readText(file);
    assert.match(text, /^version: 1\nbindings:\n {2}- event: ONCRMDEALADD\n {4}handler: https:\/\/hooks\.example\.com\/b24\/deal\n {4}auth_type: 0\n/);
    const plan = await target.cli(['plan', '-f', file, '--prune', '--detailed-exitcode']);
    assert.equal(plan.code, 0, plan.stderr);
  });

  it('refuses an unknown extension and several portals before any request', async () => {
    const sent = source.sandbox.requestLog().length;
    const file = join(source.configDir, 'exported.txt');
    const result = await source.cli(['export', '-o', file]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot tell the format of .*exported\.txt from its extension — name the file \*\.json, \*\.yaml or \*\.yml/);
    assert.equal(existsSync(file), false);
    const several = await source.cli(['export', '--profile', 'source', '--profile', 'source2']);
    assert.equal(several.code, 2);
    assert.match(several.stderr, /export reads one portal/);
    assert.deepEqual(methodsSince(source, sent), []);
  });

  it('file-system mistakes are usage errors in one line, before any request: a missing folder, an unreadable manifest', async () => {
    const sent = source.sandbox.requestLog().length;
    const missing = await source.cli(['export', '-o', '/no/such/dir/x.json']);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(
      missing.stderr,
      /^error: cannot write the manifest \/no\/such\/dir\/x\.json: no such file or folder — \/no\/such\/dir must be an existing, writable folder\n$/,
    );
    assert.deepEqual(methodsSince(source, sent), []);
    const folder = await source.cli(['plan', '-f', source.configDir]);
    assert.equal(folder.code, 2);
    assert.match(folder.stderr, /^error: cannot read manifest .*: it is a folder\n$/);
    assert.doesNotMatch(missing.stderr + folder.stderr, /unexpected error/);
  });
});
