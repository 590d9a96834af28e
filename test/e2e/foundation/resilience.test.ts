import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, baseEnv } from '../../helpers/cli.js';
import { setupPortal } from '../../helpers/portal.js';

const portal = await setupPortal();
after(() => portal.close());

function spawnCli(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { env: baseEnv(portal.configDir), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("Ctrl-C (even twice) while a refresh is in flight: the spent token's successor is saved, exit 130", async () => {
  portal.writeProfile('admin', { accessTokenExpires: 1 });
  const before = portal.readConfig().profiles.admin!.refreshToken;
  portal.sandbox.injectFault({ method: 'oauth/token', kind: 'delay', ms: 1500 });
  const run = spawnCli(['handlers', '--debug']);
  const deadline = Date.now() + 10_000;
  while (!run.stderr().includes('grant_type=refresh_token') && Date.now() < deadline) await sleep(20);
  run.child.kill('SIGINT');
  await sleep(700);
  run.child.kill('SIGINT');
  assert.equal(await run.exited, 130, run.stderr());
  assert.match(run.stderr(), /finishing a token refresh first/);
  const saved = portal.readConfig().profiles.admin!.refreshToken;
  assert.notEqual(saved, before, 'the rotated pair was saved');
  const next = await portal.cli(['handlers', '--json']);
  assert.equal(next.code, 0, `the chain is intact: ${next.stderr}`);
});

test('tokens go to the portal the OAuth server names (client_endpoint), never to a mistyped host', async () => {
  let decoyHits = 0;
  const decoy = createServer((req, res) => {
    decoyHits += 1;
    req.resume();
    res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not a portal</html>');
  });
  await new Promise<void>((resolve) => decoy.listen(0, '127.0.0.1', resolve));
  try {
    const decoyUrl = `http://127.0.0.1:${(decoy.address() as AddressInfo).port}`;
    const pair = portal.sandbox.issueTokens(portal.app.clientId, 1);
    const result = await portal.cli(
      [
        'profile',
        'add',
        'typo',
        '--portal',
        decoyUrl,
        '--oauth-server',
        portal.sandbox.oauthUrl,
        '--client-id',
        portal.app.clientId,
        '--refresh-token',
        pair.refresh_token,
      ],
      { env: { B24_CLIENT_SECRET: portal.app.clientSecret } },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(decoyHits, 0, 'no request (and no token) reached the mistyped host');
    assert.match(result.stderr, /the OAuth server names http:\/\/127\.0\.0\.1:\d+ as this application's portal/);
    assert.equal(portal.readConfig().profiles.typo!.portal, portal.sandbox.url);
  } finally {
    decoy.close();
  }
});

test('profile add failing after the refresh keeps the new tokens, and says where', async () => {
  const pair = portal.sandbox.issueTokens(portal.app.clientId, 1);
  portal.sandbox.injectFault({
    method: 'batch',
    kind: 'error',
    status: 403,
    error: 'WRONG_AUTH_TYPE',
    description: 'Current authorization type is denied for this method',
  });
  const result = await portal.cli(
    [
      'profile',
      'add',
      'kept',
      '--portal',
      portal.sandbox.url,
      '--oauth-server',
      portal.sandbox.oauthUrl,
      '--client-id',
      portal.app.clientId,
      '--refresh-token',
      pair.refresh_token,
    ],
    { env: { B24_CLIENT_SECRET: portal.app.clientSecret } },
  );
  assert.equal(result.code, 4);
  assert.match(result.stderr, /the refreshed tokens were kept in profile "kept" so the token chain is not lost/);
  assert.equal(result.stderr.trim().split('\n').length, 1);
  const status = await portal.cli(['status', '--profile', 'kept', '--json']);
  assert.equal(status.code, 0, `the kept chain works: ${status.stderr}`);
});

test('a corrupt config file or an unusable config folder is one line naming the path', async () => {
  const bad = join(portal.configDir, 'corrupt');
  mkdirSync(bad, { recursive: true });
  writeFileSync(join(bad, 'config.json'), '{"profiles": {');
  const corrupt = await portal.cli(['handlers', '--config-dir', bad]);
  assert.equal(corrupt.code, 1);
  assert.match(corrupt.stderr, /^error: config file .*corrupt\/config\.json is not valid: .* — fix the file by hand/);
  assert.doesNotMatch(corrupt.stderr, /unexpected error/);
  const notADir = await portal.cli(['handlers', '--config-dir', join(bad, 'config.json', 'sub')]);
  assert.equal(notADir.code, 1);
  assert.match(notADir.stderr, /^error: cannot use the config file .* \(ENOTDIR: a part of the path is not a folder\) — point --config-dir/);
});

test('empty or whitespace values are rejected or trimmed, never silently turned into something else', async () => {
  portal.writeProfile('admin');
  const emptyUser = await portal.cli(['bind', 'ONCRMDEALADD', 'https://hooks.example.com/e', '--auth-type', '']);
  assert.equal(emptyUser.code, 2);
  assert.match(emptyUser.stderr, /--auth-type: must be a user id/);
  const emptyProfile = await portal.cli(['handlers', '--profile', '']);
  assert.equal(emptyProfile.code, 2);
  assert.match(emptyProfile.stderr, /--profile needs a name/);
  const spaced = await portal.cli(['bind', 'ONCRMDEALADD', '  https://hooks.example.com/spaced  ', '--json']);
  assert.equal(spaced.code, 0, spaced.stderr);
  assert.equal(JSON.parse(spaced.stdout).handler, 'https://hooks.example.com/spaced');
  const onlineConnector = await portal.cli(['unbind', 'ONCRMDEALADD', 'https://hooks.example.com/spaced', '--connector', 'erp']);
  assert.equal(onlineConnector.code, 2);
  assert.match(onlineConnector.stderr, /--connector applies to offline subscriptions only/);
});
