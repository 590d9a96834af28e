import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseJson } from '../../helpers/cli.js';
import { assertNoSecrets, secretsOf, setupPortal } from '../../helpers/portal.js';

const portal = await setupPortal();
after(() => portal.close());
const secrets = secretsOf(portal);

function addArgs(name: string, extra: string[] = []): string[] {
  return ['profile', 'add', name, '--portal', portal.sandbox.url, '--oauth-server', portal.sandbox.oauthUrl, '--client-id', portal.app.clientId, ...extra];
}

test('profile add verifies with the refresh token, saves the rotated pair 0600, prints no secret', async () => {
  const fresh = portal.sandbox.issueTokens(portal.app.clientId, 1);
  const result = await portal.cli([...addArgs('main', ['--refresh-token', fresh.refresh_token])], {
    env: { B24_CLIENT_SECRET: portal.app.clientSecret },
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /Saved profile main for http:\/\/127\.0\.0\.1:\d+ \(default\)/);
  assert.match(result.stderr, /administrator: yes/);
  const saved = portal.readConfig();
  assert.equal(saved.defaultProfile, 'main');
  const profile = saved.profiles.main!;
  assert.notEqual(profile.refreshToken, fresh.refresh_token, 'the spent refresh token was replaced');
  assert.ok(profile.accessToken && profile.accessTokenExpires);
  assert.equal(statSync(join(portal.configDir, 'config.json')).mode & 0o777, 0o600);
  assertNoSecrets(result, [...secrets, fresh.refresh_token, profile.refreshToken!, profile.accessToken]);
});

test('the spent refresh token really is dead at the portal (chain continued, not branched)', async () => {
  const fresh = portal.sandbox.issueTokens(portal.app.clientId, 1);
  const first = await portal.cli(addArgs('a1', ['--refresh-token', fresh.refresh_token]), { env: { B24_CLIENT_SECRET: portal.app.clientSecret } });
  assert.equal(first.code, 0, first.stderr);
  const again = await portal.cli(addArgs('a2', ['--refresh-token', fresh.refresh_token]), { env: { B24_CLIENT_SECRET: portal.app.clientSecret } });
  assert.equal(again.code, 4);
  assert.match(again.stderr, /invalid_grant/);
  assert.match(again.stderr, /take fresh ones from the installation event/, 'a2 does not exist yet: no `login` hint');
  assert.equal(portal.readConfig().profiles.a2, undefined, 'nothing saved');
});

test('secrets can come from stdin ("-") so they stay out of the process list', async () => {
  const fresh = portal.sandbox.issueTokens(portal.app.clientId, 1);
  const result = await portal.cli(addArgs('stdin', ['--client-secret', '-', '--refresh-token', fresh.refresh_token, '--json']), {
    input: `${portal.app.clientSecret}\n`,
  });
  assert.equal(result.code, 0, result.stderr);
  const body = parseJson<{ profile: Record<string, unknown>; verified: boolean }>(result);
  assert.equal(body.verified, true);
  assert.match(String(body.profile.client_secret), /^\*{8}.{4}$/);
  assert.equal(portal.readConfig().profiles.stdin!.clientSecret, portal.app.clientSecret);
  assertNoSecrets(result, secrets);
});

test('an incoming-webhook URL is refused with an explanation, and nothing is written', async () => {
  const webhook = portal.sandbox.createWebhook(1);
  const before = portal.readConfig();
  const result = await portal.cli(['profile', 'add', 'hook', '--portal', webhook, '--client-id', 'x', '--client-secret', 'y', '--refresh-token', 'z']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /incoming-webhook URL/);
  assert.match(result.stderr, /Local application/);
  assert.doesNotMatch(result.stderr, new RegExp(webhook.split('/').slice(-2, -1)[0]!), 'the webhook code is not echoed');
  assert.deepEqual(portal.readConfig(), before);
});

test('plain http is refused for non-loopback portals', async () => {
  const result = await portal.cli([
    'profile',
    'add',
    'insecure',
    '--portal',
    'http://example.bitrix24.com',
    '--client-id',
    'x',
    '--client-secret',
    'y',
    '--refresh-token',
    'z',
  ]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /must use https/);
});

test('a wrong client secret is invalid_client: exit 4, nothing saved', async () => {
  const fresh = portal.sandbox.issueTokens(portal.app.clientId, 1);
  const result = await portal.cli(addArgs('wrong', ['--client-secret', 'not-the-secret', '--refresh-token', fresh.refresh_token]));
  assert.equal(result.code, 4);
  assert.match(result.stderr, /invalid_client/);
  assert.equal(portal.readConfig().profiles.wrong, undefined);
});

test('missing values are one usage error naming every one of them', async () => {
  const noSecret = await portal.cli(addArgs('x', ['--refresh-token', 'abc']));
  assert.equal(noSecret.code, 2);
  assert.match(noSecret.stderr, /^error: missing: --client-secret \(or B24_CLIENT_SECRET\) — /);
  const noToken = await portal.cli(addArgs('x', ['--client-secret', 'abc']));
  assert.equal(noToken.code, 2);
  assert.match(noToken.stderr, /^error: missing: --refresh-token \(or B24_REFRESH_TOKEN\) or --access-token — /);
  const nothing = await portal.cli(['profile', 'add', 'x']);
  assert.equal(nothing.code, 2);
  assert.match(
    nothing.stderr,
    /^error: missing: --portal URL, --client-id ID, --client-secret \(or B24_CLIENT_SECRET\), --refresh-token \(or B24_REFRESH_TOKEN\) or --access-token — /,
  );
  assert.equal(nothing.stderr.split('\n').length, 2, 'one line');
  const fromEnv = await portal.cli(['profile', 'add', 'x', '--client-id', 'a'], { env: { B24_CLIENT_SECRET: 's', B24_REFRESH_TOKEN: 'r' } });
  assert.match(fromEnv.stderr, /^error: missing: --portal URL — /);
  const webhookFirst = await portal.cli(['profile', 'add', 'x', '--portal', portal.sandbox.createWebhook(1)]);
  assert.equal(webhookFirst.code, 2);
  assert.match(webhookFirst.stderr, /incoming-webhook URL/, 'the webhook is explained before other missing flags');
});

test('an existing profile is not replaced without --force', async () => {
  const result = await portal.cli(addArgs('main', ['--client-secret', 's', '--refresh-token', 'r', '--no-verify']));
  assert.equal(result.code, 2);
  assert.match(result.stderr, /profile "main" already exists — pass --force/);
});

test('profile list / show / use / remove', async () => {
  const list = await portal.cli(['profile', 'list', '--json']);
  assert.equal(list.code, 0);
  const rows = parseJson<{ name: string; default: boolean; refresh_token: string }[]>(list);
  assert.deepEqual(rows.map((r) => r.name).sort(), ['a1', 'main', 'stdin']);
  assert.ok(rows.every((r) => r.refresh_token.startsWith('********')));
  assertNoSecrets(list, secrets);

  const plain = await portal.cli(['profile', 'list']);
  assert.match(plain.stdout, /^main\t\*\thttp:\/\/127\.0\.0\.1:\d+\t/m, 'tab-separated when piped');

  const use = await portal.cli(['profile', 'use', 'a1']);
  assert.equal(use.code, 0);
  assert.equal(portal.readConfig().defaultProfile, 'a1');
  const show = await portal.cli(['profile', 'show', '--json']);
  assert.equal(parseJson<{ name: string }>(show).name, 'a1');

  const refused = await portal.cli(['profile', 'remove', 'a1']);
  assert.equal(refused.code, 2, 'no TTY and no --yes');
  assert.match(refused.stderr, /--yes is required when not running interactively/);
  assert.ok(portal.readConfig().profiles.a1);
  const removed = await portal.cli(['profile', 'remove', 'a1', '--yes']);
  assert.equal(removed.code, 0);
  assert.equal(portal.readConfig().profiles.a1, undefined);
  assert.equal(portal.readConfig().defaultProfile, undefined);
  assert.match(removed.stderr, /was the default profile/);
  assert.equal((await portal.cli(['profile', 'use', 'ghost'])).code, 2);
});

test('--no-verify saves without contacting the portal', async () => {
  const before = portal.sandbox.requestLog().length;
  const result = await portal.cli(addArgs('offline-only', ['--client-secret', 's3cr3t-value', '--access-token', 'tok-not-checked', '--no-verify']));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(portal.sandbox.requestLog().length, before);
  assert.ok(existsSync(join(portal.configDir, 'config.json')));
  assert.match(result.stderr, /Not verified/);
});
