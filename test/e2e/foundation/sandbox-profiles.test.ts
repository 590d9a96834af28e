import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJson, runCli, tempConfigDir } from '../../helpers/cli.js';
import { setupPortal } from '../../helpers/portal.js';
import { startSandboxProcess } from '../../helpers/sandbox-process.js';

interface Config {
  defaultProfile?: string;
  profiles: Record<string, { portal: string; clientId: string; refreshToken?: string; sandbox?: { pid: number } }>;
}
const readConfig = (dir: string): Config => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Config;

/** A real portal's profile, as a user would have saved it (its refresh token must survive). */
function writeRealProfile(dir: string, name: string): string {
  const config = {
    defaultProfile: name,
    profiles: {
      [name]: {
        portal: 'https://real.bitrix24.com',
        oauthServer: 'https://oauth.bitrix.info',
        clientId: 'local.real',
        clientSecret: 'real-secret-value',
        refreshToken: 'real-refresh-token-1234',
      },
    },
  };
  mkdirSync(dir, { recursive: true });
  const text = JSON.stringify(config, null, 2);
  writeFileSync(join(dir, 'config.json'), text, { mode: 0o600 });
  return text;
}

test('sandbox never replaces a profile it did not create: plain and --save-as refuse in one line, exit 2, file untouched', async () => {
  const { dir, cleanup } = tempConfigDir();
  try {
    const before = writeRealProfile(dir, 'sandbox');
    const plain = await runCli(['sandbox'], { configDir: dir, timeoutMs: 8000 });
    assert.equal(plain.code, 2, plain.stderr);
    assert.match(
      plain.stderr,
      /^error: profile "sandbox" \(https:\/\/real\.bitrix24\.com\) was not created by a sandbox; it was left unchanged — .*--save-as NAME/,
    );
    assert.equal(plain.stderr.trim().split('\n').length, 1, 'one line');
    assert.equal(plain.stdout, '');
    assert.equal(readFileSync(join(dir, 'config.json'), 'utf8'), before);

    writeRealProfile(dir, 'prod');
    const named = await runCli(['sandbox', '--save-as', 'prod'], { configDir: dir, timeoutMs: 8000 });
    assert.equal(named.code, 2, named.stderr);
    assert.match(named.stderr, /profile "prod" .*was not created by a sandbox/);
    assert.equal(readConfig(dir).profiles.prod?.refreshToken, 'real-refresh-token-1234');
  } finally {
    cleanup();
  }
});

test('a running sandbox keeps its profile: a second one takes "sandbox-2" (and says so); each removes its own on exit', async () => {
  const { dir, cleanup } = tempConfigDir();
  const first = await startSandboxProcess(dir);
  try {
    assert.equal(first.info.profile, 'sandbox');
    const second = await startSandboxProcess(dir);
    try {
      assert.equal(second.info.profile, 'sandbox-2');
      assert.match(second.stderr(), new RegExp(`Profile "sandbox" belongs to the sandbox running as pid ${first.pid}; this one is saved as "sandbox-2"`));
      const config = readConfig(dir);
      assert.equal(config.profiles.sandbox?.clientId, first.info.client_id, 'the first keeps its credentials');
      assert.equal(config.profiles.sandbox?.portal, first.info.url);
      assert.equal(config.defaultProfile, undefined);
      const status = await runCli(['status', '--json', '--profile', 'sandbox'], { configDir: dir });
      assert.equal(status.code, 0, status.stderr);

      const named = await runCli(['sandbox', '--save-as', 'sandbox'], { configDir: dir, timeoutMs: 8000 });
      assert.equal(named.code, 2, named.stderr);
      assert.match(named.stderr, new RegExp(`^error: profile "sandbox" belongs to the sandbox running as pid ${first.pid}; it was left unchanged — `));
    } finally {
      assert.equal(await second.stop('SIGTERM'), 130);
    }
    assert.match(second.stderr(), /Removed profile "sandbox-2"\nSandbox stopped\n$/);
    assert.deepEqual(Object.keys(readConfig(dir).profiles), ['sandbox'], "the first sandbox's profile is still there");
  } finally {
    assert.equal(await first.stop('SIGINT'), 130);
    cleanup();
  }
});

test('a stopped sandbox leaves no profile; one left by a killed sandbox is replaced by the next', async () => {
  const { dir, cleanup } = tempConfigDir();
  try {
    const stopped = await startSandboxProcess(dir);
    assert.equal(await stopped.stop('SIGINT'), 130);
    assert.deepEqual(readConfig(dir).profiles, {}, 'no profile points at a dead port');

    const killed = await startSandboxProcess(dir);
    assert.equal(await killed.stop('SIGKILL'), 'SIGKILL');
    assert.equal(readConfig(dir).profiles.sandbox?.sandbox?.pid, killed.pid, 'a killed sandbox cannot tidy up');

    const next = await startSandboxProcess(dir);
    try {
      assert.equal(next.info.profile, 'sandbox', 'the dead owner does not hold the name');
      assert.match(next.stderr(), /Replacing profile "sandbox", left by a sandbox that no longer runs/);
      assert.equal(readConfig(dir).profiles.sandbox?.portal, next.info.url);
    } finally {
      await next.stop();
    }
  } finally {
    cleanup();
  }
});

test('--all-profiles leaves sandbox profiles out unless they are named', async () => {
  const portal = await setupPortal();
  portal.writeProfile('admin');
  const sandbox = await startSandboxProcess(portal.configDir);
  try {
    const manifest = join(portal.configDir, 'm.json');
    writeFileSync(manifest, JSON.stringify({ bindings: [{ event: 'ONCRMDEALADD', handler: 'https://hooks.example.com/b24' }] }));
    const all = await portal.cli(['plan', '-f', manifest, '--all-profiles', '--json']);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(
      parseJson<{ portals: { profile: string }[] }>(all).portals.map((p) => p.profile),
      ['admin'],
    );
    const named = await portal.cli(['plan', '-f', manifest, '--profile', 'admin', '--profile', 'sandbox', '--json']);
    assert.equal(named.code, 0, named.stderr);
    assert.deepEqual(
      parseJson<{ portals: { profile: string }[] }>(named).portals.map((p) => p.profile),
      ['admin', 'sandbox'],
    );
  } finally {
    await sandbox.stop();
    await portal.close();
  }
});
