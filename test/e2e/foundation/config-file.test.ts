// The config file on disk: what reading and writing may create, its modes, and the files it refuses.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigStore } from '../../../src/config/store.js';
import { setupPortal } from '../../helpers/portal.js';

const portal = await setupPortal();
after(() => portal.close());

const mode = (path: string) => statSync(path).mode & 0o777;

test('read-only commands create no folder', async () => {
  const dir = join(portal.configDir, 'never', 'created');
  for (const args of [['profile', 'list'], ['handlers'], ['profile', 'show', 'x']]) {
    const result = await portal.cli([...args, '--config-dir', dir]);
    assert.notEqual(result.code, null, result.stderr);
    assert.equal(existsSync(join(portal.configDir, 'never')), false, `${args.join(' ')} created a folder`);
  }
});

test('the config folder and the lock folder are created 0700, the file 0600', async () => {
  const dir = join(portal.configDir, 'fresh', 'nested');
  const args = [
    'profile',
    'add',
    'p',
    '--portal',
    portal.sandbox.url,
    '--client-id',
    'local.x.1',
    '--client-secret',
    'secret-1',
    '--access-token',
    'access-token-1',
    '--no-verify',
  ];
  const result = await portal.cli([...args, '--config-dir', dir]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(mode(join(portal.configDir, 'fresh')), 0o700);
  assert.equal(mode(dir), 0o700);
  assert.equal(mode(join(dir, 'config.json')), 0o600);
  const store = new ConfigStore(dir);
  assert.equal(await store.withLock(() => mode(join(dir, 'config.json.lock'))), 0o700);
  assert.equal(existsSync(join(dir, 'config.json.lock')), false, 'the lock is gone after the section');
});

test('an invalid config file names the key that is wrong', async () => {
  const dir = join(portal.configDir, 'invalid');
  mkdirSync(dir);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ profiles: { x: { portal: 'https://a.bitrix24.com', clientSecret: 's' } } }));
  const result = await portal.cli(['profile', 'list', '--config-dir', dir]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^error: config file .*invalid\/config\.json is not valid: profiles\.x\.clientId: .*expected string/);
  assert.equal(result.stderr.trim().split('\n').length, 1);
});

test('a FIFO at the config path is refused at once, never read (a read would hang the process)', async () => {
  const dir = join(portal.configDir, 'fifo');
  mkdirSync(dir);
  execFileSync('mkfifo', [join(dir, 'config.json')]);
  const result = await portal.cli(['profile', 'list', '--config-dir', dir], { spawn: true, timeoutMs: 10_000 });
  assert.equal(result.signal, null, 'it did not hang');
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /^error: cannot use the config file .*fifo\/config\.json: it is a FIFO \(named pipe\), not a regular file — move it away/);
});

test('a folder at the config path is refused with one line', async () => {
  const dir = join(portal.configDir, 'folder');
  mkdirSync(join(dir, 'config.json'), { recursive: true });
  const result = await portal.cli(['profile', 'list', '--config-dir', dir]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^error: cannot use the config file .*: it is a folder, not a regular file/);
});
