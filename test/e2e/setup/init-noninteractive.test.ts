import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseJson } from '../../helpers/cli.js';
import { assertNoSecrets, secretsOf, setupPortal, type TestPortal } from '../../helpers/portal.js';

describe('init without a terminal', () => {
  let portal: TestPortal;
  before(async () => {
    portal = await setupPortal();
  });
  after(async () => {
    await portal.close();
  });

  it('never asks: names every missing flag at once (exit 2), writes nothing', async () => {
    const result = await portal.cli(['init']);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /cannot ask for missing values \(CI is set\)/);
    for (const flag of ['--portal', '--client-id', '--client-secret', '--refresh-token', '--code', '--redirect-url'])
      assert.ok(result.stderr.includes(flag), `names ${flag}`);
    assert.equal(result.stdout, '');
    assert.doesNotMatch(result.stderr, /\?/, 'no question was shown');
    assert.equal(existsSync(join(portal.configDir, 'config.json')), false);
  });

  it('says why it cannot ask: stdin is not a terminal, or B24_NO_PROMPT', async () => {
    const piped = await portal.cli(['init', '--portal', portal.sandbox.url], { env: { CI: undefined } });
    assert.equal(piped.code, 2);
    assert.match(piped.stderr, /stdin is not a terminal\); missing: --client-id, --client-secret/);
    assert.doesNotMatch(piped.stderr, /missing: --portal/);
    const optedOut = await portal.cli(['init'], { env: { CI: undefined, B24_NO_PROMPT: '1' } });
    assert.match(optedOut.stderr, /B24_NO_PROMPT is set/);
    assert.equal(optedOut.code, 2);
  });

  it('--bind needs --bind-url or --bind-offline', async () => {
    const result = await portal.cli([
      'init',
      '--portal',
      portal.sandbox.url,
      '--client-id',
      'x',
      '--client-secret',
      'y',
      '--refresh-token',
      'z',
      '--bind',
      'ONCRMDEALADD',
    ]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /missing: --bind-url or --bind-offline \(for --bind\)/);
  });

  it('with every value given: verifies, saves, binds and prints one JSON document', async () => {
    const { sandbox, app, tokens } = portal;
    const args = ['init', '--json', '--portal', sandbox.url, '--oauth-server', sandbox.oauthUrl, '--client-id', app.clientId, '--client-secret', '-'];
    const result = await portal.cli([...args, '--name', 'ci', '--bind', 'oncrmdealadd', '--bind-url', 'https://hooks.example.com/ci'], {
      input: `${app.clientSecret}\n`,
      env: { B24_REFRESH_TOKEN: tokens.refresh_token, B24_APPLICATION_TOKEN: app.applicationToken },
    });
    assert.equal(result.code, 0, result.stderr);
    const doc = parseJson<{
      profile: { name: string; default: boolean; client_secret: string };
      status: { user: { admin: boolean } };
      bound: { event: string; status: string }[];
    }>(result);
    assert.equal(doc.profile.name, 'ci');
    assert.equal(doc.profile.default, true);
    assert.match(doc.profile.client_secret, /^\*{8}/);
    assert.equal(doc.status.user.admin, true);
    assert.deepEqual(doc.bound, [{ event: 'ONCRMDEALADD', status: 'bound' }]);
    assertNoSecrets(result, secretsOf(portal));
    assert.equal(portal.readConfig().profiles.ci?.applicationToken, app.applicationToken);
  });

  it('an existing name without --force fails before any token is spent', async () => {
    const pair = portal.sandbox.issueTokens(portal.app.clientId, 1);
    const args = ['init', '--portal', portal.sandbox.url, '--oauth-server', portal.sandbox.oauthUrl, '--client-id', portal.app.clientId, '--name', 'ci'];
    const env = { B24_CLIENT_SECRET: portal.app.clientSecret, B24_REFRESH_TOKEN: pair.refresh_token };
    const refused = await portal.cli(args, { env });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /profile "ci" already exists — pass --force/);
    const replaced = await portal.cli([...args, '--force', '--no-bind'], { env });
    assert.equal(replaced.code, 0, `the same refresh token still works: ${replaced.stderr}`);
  });
});
