import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parseJson } from '../../helpers/cli.js';
import { assertNoSecrets, secretsOf, setupPortal } from '../../helpers/portal.js';

const portal = await setupPortal();
after(() => portal.close());

test('status: exit 0 with portal, user, admin, scopes and features', async () => {
  portal.writeProfile('admin');
  const result = await portal.cli(['status', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const body = parseJson<Record<string, any>>(result);
  assert.equal(body.portal, portal.sandbox.url);
  assert.deepEqual(body.credentials, { source: 'profile', profile: 'admin' });
  assert.equal(body.user.admin, true);
  assert.deepEqual([...body.scopes].sort(), ['crm', 'task', 'user']);
  assert.deepEqual(body.features, { rest_offline_extended: true, rest_auth_connector: true });
  assert.equal(typeof body.handlers, 'number');
  const human = await portal.cli(['status']);
  assert.match(human.stdout, /^Administrator\s+yes$/m);
  assertNoSecrets(human, secretsOf(portal));
});

test('an expired access token is refreshed once, saved 0600 before use, and the call retried', async () => {
  portal.writeProfile('admin');
  portal.sandbox.expireAccessTokens();
  const before = portal.readConfig().profiles.admin!;
  const result = await portal.cli(['handlers', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const after = portal.readConfig().profiles.admin!;
  assert.notEqual(after.refreshToken, before.refreshToken);
  assert.notEqual(after.accessToken, before.accessToken);
  assert.equal(statSync(join(portal.configDir, 'config.json')).mode & 0o777, 0o600);
  assertNoSecrets(result, [before.refreshToken!, after.refreshToken!, after.accessToken!]);
});

test('two processes with an expired token at once: both succeed, the chain is not broken', async () => {
  portal.writeProfile('admin');
  portal.sandbox.expireAccessTokens();
  const runs = await Promise.all([0, 1, 2].map(() => portal.cli(['handlers', '--json'])));
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  portal.sandbox.expireAccessTokens();
  const later = await portal.cli(['handlers', '--json']);
  assert.equal(later.code, 0, `the saved refresh token still works: ${later.stderr}`);
});

test('a dead refresh token is invalid_grant: exit 4, re-login hint, profile untouched', async () => {
  portal.writeProfile('dead', { refreshToken: 'refresh-token-that-was-revoked', accessTokenExpires: 1 });
  const before = portal.readConfig().profiles.dead;
  const result = await portal.cli(['handlers', '--profile', 'dead']);
  assert.equal(result.code, 4);
  assert.match(result.stderr, /^error: oauth\/token: .*invalid_grant.* — .*b24-events login/);
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.deepEqual(portal.readConfig().profiles.dead, before);
  assert.doesNotMatch(result.stderr, /refresh-token-that-was-revoked/);
});

test('a non-admin cannot bind offline: ACCESS_DENIED exit 4 with a hint', async () => {
  const user2 = portal.sandbox.issueTokens(portal.app.clientId, 2);
  portal.writeProfile('user2', { accessToken: user2.access_token, refreshToken: user2.refresh_token, accessTokenExpires: user2.expires }, false);
  const result = await portal.cli(['bind', 'ONCRMDEALADD', '--offline', '--profile', 'user2']);
  assert.equal(result.code, 4);
  assert.match(result.stderr, /ACCESS_DENIED/);
  assert.match(result.stderr, /administrator/);
  const status = parseJson<{ user: { admin: boolean } }>(await portal.cli(['status', '--json', '--profile', 'user2']));
  assert.equal(status.user.admin, false);
});

test('environment-only mode works without a profile, and a spent refresh token is kept', async () => {
  const pair = portal.sandbox.issueTokens(portal.app.clientId, 1);
  const env = { ...portal.envCredentials(pair), B24_ACCESS_TOKEN: undefined };
  const first = await portal.cli(['handlers', '--json'], { env });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /B24_REFRESH_TOKEN was spent .* later runs on this machine continue from it/);
  assertNoSecrets(first, [pair.refresh_token, pair.access_token]);
  const second = await portal.cli(['handlers', '--json'], { env });
  assert.equal(second.code, 0, `the same env continues the chain: ${second.stderr}`);
  assert.doesNotMatch(second.stderr, /was spent/, 'the stored access token is still valid: no second refresh');
  const status = parseJson<{ credentials: { source: string } }>(await portal.cli(['status', '--json'], { env }));
  assert.equal(status.credentials.source, 'environment');
});

test('environment-only mode, three processes at once with only a refresh token: one refresh, all succeed', async () => {
  const pair = portal.sandbox.issueTokens(portal.app.clientId, 1);
  const env = { ...portal.envCredentials(pair), B24_ACCESS_TOKEN: undefined };
  const before = portal.sandbox.requestLog().length;
  const runs = await Promise.all([0, 1, 2].map(() => portal.cli(['handlers', '--json'], { env })));
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  assert.equal(runs.filter((run) => /was spent/.test(run.stderr)).length, 1, 'exactly one process spent the env token');
  assert.equal(portal.sandbox.requestLog().length - before, 3, 'three event.get calls, no failed ones');
  const later = await portal.cli(['handlers', '--json'], { env });
  assert.equal(later.code, 0, later.stderr);
});

test('--profile wins over B24_PORTAL', async () => {
  portal.writeProfile('admin');
  const result = await portal.cli(['status', '--json', '--profile', 'admin'], { env: { B24_PORTAL: 'https://elsewhere.example.com' } });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(parseJson<{ credentials: unknown }>(result).credentials, { source: 'profile', profile: 'admin' });
});

// invalid_token is treated like expired_token once (refresh, retry); only a repeat is fatal.
const errorCases: { error: string; status: number; exit: number; hint: RegExp; times?: number }[] = [
  { error: 'WRONG_AUTH_TYPE', status: 403, exit: 4, hint: /application OAuth token/ },
  { error: 'ACCESS_DENIED', status: 403, exit: 4, hint: /administrator/ },
  { error: 'WRONG_LICENSE', status: 403, exit: 4, hint: /plan lacks a feature/ },
  { error: 'insufficient_scope', status: 401, exit: 4, hint: /add the needed scope/ },
  { error: 'NO_AUTH_FOUND', status: 401, exit: 4, hint: /b24-events login/ },
  { error: 'invalid_token', status: 401, exit: 4, hint: /b24-events login/, times: 2 },
  { error: 'PAYMENT_REQUIRED', status: 402, exit: 4, hint: /renew/ },
  { error: 'ERROR_EVENT_NOT_FOUND', status: 400, exit: 2, hint: /outside the application's scopes/ },
  { error: 'ERROR_ARGUMENT', status: 400, exit: 2, hint: /argument/ },
  { error: 'ERROR_WRONG_HANDLER_URL', status: 400, exit: 2, hint: /domain name/ },
  { error: 'ERROR_UNSUPPORTED_PROTOCOL', status: 400, exit: 2, hint: /http:\/\/ or https:\/\// },
  { error: 'ERROR_METHOD_NOT_FOUND', status: 404, exit: 1, hint: /portal URL/ },
  { error: 'ERROR_CORE', status: 400, exit: 1, hint: /retry later/ },
];

for (const c of errorCases) {
  test(`${c.error} (HTTP ${c.status}) → exit ${c.exit} with a hint, one line, no stack`, async () => {
    portal.writeProfile('admin');
    portal.sandbox.injectFault({
      method: 'event.bind',
      kind: 'error',
      status: c.status,
      error: c.error,
      description: `sandbox ${c.error}`,
      times: c.times ?? 1,
    });
    const result = await portal.cli(['bind', 'ONCRMDEALADD', 'https://hooks.example.com/err'], { env: { B24_RATE_LIMIT: 'off' } });
    assert.equal(result.code, c.exit, result.stderr);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, new RegExp(`^error: (event\\.bind: )?.*${c.error}`));
    assert.match(lines[0]!, c.hint);
  });
}

test('the clock decides when a saved access token is due: past its expiry it is refreshed before the call', async () => {
  portal.writeProfile('admin');
  const saved = portal.readConfig().profiles.admin!;
  const beforeExpiry = await portal.cli(['handlers'], { now: () => (saved.accessTokenExpires! - 3600) * 1000 });
  assert.equal(beforeExpiry.code, 0, beforeExpiry.stderr);
  assert.equal(portal.readConfig().profiles.admin!.refreshToken, saved.refreshToken, 'a token that is not due is used as it is');
  const pastExpiry = await portal.cli(['handlers'], { now: () => (saved.accessTokenExpires! + 1) * 1000 });
  assert.equal(pastExpiry.code, 0, pastExpiry.stderr);
  const rotated = portal.readConfig().profiles.admin!;
  assert.notEqual(rotated.refreshToken, saved.refreshToken, 'a token past its expiry is refreshed first');
});
