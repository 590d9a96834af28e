// `sandbox --tls`: real portals are HTTPS (docs: plain HTTP gets INVALID_REQUEST "Https required"),
// and the official SDK's webhook client refuses http:// outright. The process is under test (Node
// reads NODE_EXTRA_CA_CERTS at start-up), so the built binary runs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { BIN, baseEnv, parseJson, runCli, tempConfigDir } from '../helpers/cli.js';

const { dir, cleanup } = tempConfigDir();
after(cleanup);

test('sandbox --tls serves HTTPS, prints its CA file, and the CLI trusts it through NODE_EXTRA_CA_CERTS', async () => {
  const args = [BIN, 'sandbox', '--tls', '--json', '--operating-budget', '3/60', '--operating-charge', '2'];
  const child = spawn(process.execPath, args, { env: baseEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 15_000;
    while (!stderr.includes('NODE_EXTRA_CA_CERTS') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    const info = JSON.parse(stdout) as { url: string; ca_file: string };
    assert.match(info.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(readFileSync(info.ca_file, 'utf8'), /^-----BEGIN CERTIFICATE-----\n/);
    assert.ok(stderr.includes(`export NODE_EXTRA_CA_CERTS=${info.ca_file}`));

    const untrusted = await runCli(['status', '--profile', 'sandbox'], { configDir: dir, spawn: true });
    assert.notEqual(untrusted.code, 0);
    assert.match(untrusted.stderr, /^error: .*(certificate|TLS)/m);
    assert.match(untrusted.stderr, /trusted with NODE_EXTRA_CA_CERTS=<the CA file it printed>/, 'the hint says how to trust it');
    assert.doesNotMatch(untrusted.stderr, /is the local portal running/);
    const trusted = { configDir: dir, spawn: true, env: { NODE_EXTRA_CA_CERTS: info.ca_file } };
    const status = await runCli(['status', '--json', '--profile', 'sandbox'], trusted);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(parseJson<{ user: { admin: boolean } }>(status).user.admin, true);

    // --operating-budget 3/60 --operating-charge 2: status spent 2 s of event.get, one more call fits, then 429
    assert.equal((await runCli(['handlers', '--profile', 'sandbox'], trusted)).code, 0);
    const blocked = await runCli(['handlers', '--profile', 'sandbox'], trusted);
    assert.equal(blocked.code, 1);
    assert.match(blocked.stderr, /OPERATION_TIME_LIMIT/);
  } finally {
    child.kill('SIGINT');
    assert.equal(await exited, 130);
  }
  assert.throws(() => readFileSync(JSON.parse(stdout).ca_file as string), /ENOENT/, 'the CA file goes when the sandbox stops');
});

test('sandbox refuses a malformed --operating-budget before starting (exit 2, one line)', async () => {
  const bad = await runCli(['sandbox', '--operating-budget', '10/0'], { configDir: dir });
  assert.equal(bad.code, 2);
  assert.equal(
    bad.stderr,
    'error: --operating-budget must look like "480/600" or "60", not "10/0" — execution seconds per method and app, then the window in seconds (default 600)\n',
  );
});
