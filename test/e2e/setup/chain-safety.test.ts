import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../../../src/sandbox/index.js';
import { setupPortal } from '../../helpers/portal.js';

const portal = await setupPortal();
after(() => portal.close());

test('login whose verification fails leaves the working profile untouched and keeps the new chain aside', async () => {
  portal.writeProfile('prod', { admin: true, userId: 1 } as never, false);
  const before = portal.readConfig().profiles.prod;
  const pasted = portal.sandbox.issueTokens(portal.app.clientId, 1);
  portal.sandbox.injectFault({
    method: 'batch',
    kind: 'error',
    status: 403,
    error: 'WRONG_AUTH_TYPE',
    description: 'Current authorization type is denied for this method',
  });
  const result = await portal.cli(['login', '--profile', 'prod', '--refresh-token', pasted.refresh_token]);
  assert.equal(result.code, 4, result.stderr);
  assert.match(result.stderr, /profile "prod" is unchanged; the refreshed tokens were kept as profile "prod-new"/);
  assert.doesNotMatch(result.stderr, /profile remove prod\b(?!-new)/, 'never suggests deleting the working profile');
  const config = portal.readConfig();
  assert.deepEqual(config.profiles.prod, before);
  assert.ok(config.profiles['prod-new']?.refreshToken, "the spent token's successor is kept");
  assert.notEqual(config.defaultProfile, 'prod-new', 'a holding profile never becomes the default');
  assert.equal((await portal.cli(['handlers', '--profile', 'prod'])).code, 0, 'the old chain still works');
});

test('a successful login replaces the profile and drops the holding slot', async () => {
  const pasted = portal.sandbox.issueTokens(portal.app.clientId, 1);
  const result = await portal.cli(['login', '--profile', 'prod', '--refresh-token', pasted.refresh_token]);
  assert.equal(result.code, 0, result.stderr);
  const config = portal.readConfig();
  assert.equal(config.profiles['prod-new'], undefined);
  assert.notEqual(config.profiles.prod?.refreshToken, pasted.refresh_token);
});

test('pasted tokens of another installation (member_id) are refused; the profile is unchanged', async () => {
  const other = await startSandbox({ rateLimit: false });
  try {
    const app = other.createApp({ scopes: ['crm'], clientId: portal.app.clientId, clientSecret: portal.app.clientSecret });
    const foreign = other.issueTokens(app.clientId, 1);
    const before = portal.readConfig().profiles.prod;
    const result = await portal.cli([
      'login',
      '--profile',
      'prod',
      '--portal',
      other.url,
      '--oauth-server',
      other.oauthUrl,
      '--refresh-token',
      foreign.refresh_token,
    ]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /these tokens belong to another portal installation/);
    assert.deepEqual(portal.readConfig().profiles.prod, before);
  } finally {
    await other.close();
  }
});

test('init checks --bind and --bind-url before saving anything or spending the token', async () => {
  const pasted = portal.sandbox.issueTokens(portal.app.clientId, 1);
  const base = ['init', '--portal', portal.sandbox.url, '--oauth-server', portal.sandbox.oauthUrl, '--client-id', portal.app.clientId, '--name', 'fresh'];
  const env = { B24_CLIENT_SECRET: portal.app.clientSecret, B24_REFRESH_TOKEN: pasted.refresh_token };
  const badEvent = await portal.cli([...base, '--bind', 'ON-BAD', '--bind-url', 'https://hooks.example.com/h'], { env });
  assert.equal(badEvent.code, 2);
  assert.match(badEvent.stderr, /"ON-BAD" is not an event name/);
  const badUrl = await portal.cli([...base, '--bind', 'ONCRMDEALADD', '--bind-url', 'http://localhost/h'], { env });
  assert.equal(badUrl.code, 2);
  assert.match(badUrl.stderr, /has no dot/);
  assert.equal(portal.readConfig().profiles.fresh, undefined);
  const good = await portal.cli([...base, '--bind', 'ONCRMDEALADD', '--bind-url', 'https://hooks.example.com/h'], { env });
  assert.equal(good.code, 0, `the token was not spent by the refused runs: ${good.stderr}`);
});
