import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BIN, baseEnv, parseJson, runCli, tempConfigDir } from '../../helpers/cli.js';
import { startSandboxProcess } from '../../helpers/sandbox-process.js';

const { dir, cleanup } = tempConfigDir();
after(cleanup);

test('b24-events sandbox serves a portal, saves a demo profile, prints no secret, stops on Ctrl-C', async () => {
  const child = spawn(process.execPath, [BIN, 'sandbox', '--json'], { env: baseEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const deadline = Date.now() + 15_000;
  while (!stderr.includes('Sandbox portal running') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const info = JSON.parse(stdout) as { url: string; profile: string; client_id: string };
  assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(info.profile, 'sandbox');

  const status = await runCli(['status', '--json', '--profile', 'sandbox'], { configDir: dir });
  assert.equal(status.code, 0, status.stderr);
  assert.equal(parseJson<{ user: { admin: boolean } }>(status).user.admin, true);
  const bind = await runCli(['bind', 'ONCRMDEALUPDATE', '--offline', '--profile', 'sandbox'], { configDir: dir });
  assert.equal(bind.code, 0, bind.stderr);

  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { profiles: Record<string, { clientSecret: string; refreshToken: string }> };
  const saved = config.profiles.sandbox!;
  assert.equal((config as { defaultProfile?: string }).defaultProfile, undefined, 'the sandbox never becomes the default profile');
  assert.equal(statSync(join(dir, 'config.json')).mode & 0o777, 0o600);
  for (const secret of [saved.clientSecret, saved.refreshToken]) assert.ok(!stdout.includes(secret) && !stderr.includes(secret), 'secret printed');

  child.kill('SIGINT');
  assert.equal(await exited, 130);
  assert.match(stderr, /Sandbox stopped\n$/);
  assert.doesNotMatch(stderr, /error:/);
});

test('sandbox --no-save says how to use the portal, and the commands it prints work as printed', async () => {
  const { dir: own, cleanup: drop } = tempConfigDir();
  try {
    const sandbox = await startSandboxProcess(own, ['--no-save']);
    try {
      // the hint follows the "running" line the start waited for: wait for all of it
      const hint = () =>
        sandbox
          .stderr()
          .split('\n')
          .filter((line) => line.startsWith('  '))
          .map((line) => line.trim());
      for (let waited = 0; hint().length < 3 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      const lines = hint();
      assert.equal(lines.length, 3, sandbox.stderr());
      const script = `set -e; export PATH="${dirname(process.execPath)}:$PATH"; b24-events() { "${process.execPath}" "${BIN}" "$@"; }\n{\n${lines.join('\n')}\n} >/dev/null\nb24-events --profile mine status --json`;
      const shell = spawnSync('bash', ['-c', script], { env: baseEnv(own), encoding: 'utf8' });
      assert.equal(shell.status, 0, shell.stderr);
      assert.equal((JSON.parse(shell.stdout) as { portal: string }).portal, sandbox.info.url);
    } finally {
      await sandbox.stop();
    }
  } finally {
    drop();
  }
});
