import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setupPortal } from '../../helpers/portal.js';

const portal = await setupPortal({ scopes: ['crm'] });
portal.writeProfile('admin');
after(() => portal.close());

test('a misspelt event gets a "did you mean" from the portal\'s own list', async () => {
  const result = await portal.cli(['bind', 'ONCRMDEALADDD', 'https://hooks.example.com/x']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^error: there is no event ONCRMDEALADDD on this portal \(ERROR_EVENT_NOT_FOUND\) — did you mean ONCRMDEALADD\?\n$/);
});

test('an existing event outside the scopes says so instead of "not found"', async () => {
  const result = await portal.cli(['bind', 'ONTASKADD', 'https://hooks.example.com/x']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /ONTASKADD exists on this portal but is outside the application's scopes/);
});

test('an unbind that matched nothing points at the nearly identical bound URL', async () => {
  assert.equal((await portal.cli(['bind', 'ONCRMDEALADD', 'https://hooks.example.com/deal/'])).code, 0);
  const result = await portal.cli(['unbind', 'ONCRMDEALADD', 'https://hooks.example.com/deal']);
  assert.equal(result.code, 0);
  assert.match(result.stderr, /bound is https:\/\/hooks\.example\.com\/deal\/ \(URLs must match exactly\)/);
});

test('a loopback handler gets no "unreachable" warning when the portal itself is local', async () => {
  const result = await portal.cli(['bind', 'ONCRMLEADADD', 'http://127.0.0.1:9999/hook']);
  assert.equal(result.code, 0);
  assert.doesNotMatch(result.stderr, /warning/);
});

test('saved profiles but no default: the error names them and how to choose', async () => {
  const other = await setupPortal();
  try {
    other.writeProfile('one', {}, false);
    const result = await other.cli(['handlers']);
    assert.equal(result.code, 4);
    assert.match(result.stderr, /no default profile \(saved: one\) — pick one with --profile NAME, or make one the default: b24-events profile use one/);
  } finally {
    await other.close();
  }
});

test('malformed B24_TIMEOUT / B24_RATE_LIMIT are usage errors, not silently ignored', async () => {
  const timeout = await portal.cli(['handlers'], { env: { B24_TIMEOUT: 'soon' } });
  assert.equal(timeout.code, 2);
  assert.match(timeout.stderr, /B24_TIMEOUT must be a positive number of seconds, not "soon"/);
  const rate = await portal.cli(['handlers'], { env: { B24_RATE_LIMIT: 'fast' } });
  assert.equal(rate.code, 2);
  assert.match(rate.stderr, /B24_RATE_LIMIT must look like "2\/50"/);
});

test('commander errors with a suggestion stay on one line', async () => {
  const result = await portal.cli(['bnd']);
  assert.equal(result.code, 2);
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  assert.match(result.stderr, /unknown command 'bnd' \(Did you mean bind\?\)/);
});

test('a stopped local portal gets a "is it running" hint', async () => {
  portal.writeProfile('stopped', { portal: 'http://127.0.0.1:9' }, false);
  const result = await portal.cli(['handlers', '--profile', 'stopped']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /is the local portal running \(`b24-events sandbox`\)\?/);
});

test('plan and apply use the same reachability rule as bind: no warning for a local handler of a local portal', async () => {
  const manifest = join(portal.configDir, 'local-hook.json');
  writeFileSync(manifest, JSON.stringify({ version: 1, bindings: [{ event: 'ONCRMLEADDELETE', handler: 'http://127.0.0.1:9999/lead' }] }));
  for (const command of ['plan', 'apply']) {
    const result = await portal.cli([command, '-f', manifest]);
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /cannot reach/, command);
  }
});

test('a new profile whose token is refused is not told to `login` (there is no profile to log in to)', async () => {
  const spent = portal.sandbox.issueTokens(portal.app.clientId, 1);
  assert.equal((await portal.cli(['status'], { env: { ...portal.envCredentials(spent), B24_ACCESS_TOKEN: undefined } })).code, 0);
  const args = ['profile', 'add', 'fresh', '--portal', portal.sandbox.url, '--oauth-server', portal.sandbox.oauthUrl, '--client-id', portal.app.clientId];
  const result = await portal.cli([...args, '--refresh-token', spent.refresh_token], { env: { B24_CLIENT_SECRET: portal.app.clientSecret } });
  assert.equal(result.code, 4, result.stderr);
  assert.match(result.stderr, /invalid_grant/);
  assert.match(result.stderr, /take fresh ones from the installation event/);
  assert.doesNotMatch(result.stderr, /b24-events login/);
  const unreachable = await portal.cli(
    [...args.slice(0, 4), 'http://127.0.0.1:9', '--oauth-server', 'http://127.0.0.1:9', '--client-id', 'x', '--refresh-token', 'r'],
    {
      env: { B24_CLIENT_SECRET: 's', B24_RATE_LIMIT: 'off' },
    },
  );
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.stderr, /save the profile without checking it \(--no-verify\)$/m);
  assert.doesNotMatch(unreachable.stderr, /profile show/);
});

test('removing the last profile does not say "choose another"', async () => {
  const alone = await setupPortal();
  try {
    alone.writeProfile('only');
    const result = await alone.cli(['profile', 'remove', 'only', '--yes']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /It was the last profile; add one with `b24-events init`/);
    assert.doesNotMatch(result.stderr, /choose another/);
  } finally {
    await alone.close();
  }
});

/** A non-interactive init of a new profile `name` on the sandbox that binds `event` to `handler`. */
function initBinding(name: string, event: string, handler: string) {
  const pair = portal.sandbox.issueTokens(portal.app.clientId, 1);
  const args = ['init', '--portal', portal.sandbox.url, '--client-id', portal.app.clientId, '--name', name, '--bind', event, '--bind-url', handler];
  return portal.cli(args, { env: { B24_CLIENT_SECRET: portal.app.clientSecret, B24_REFRESH_TOKEN: pair.refresh_token } });
}

test('init --bind explains an unknown event the way bind does', async () => {
  const result = await initBinding('withbind', 'ONTASKADD', 'https://hooks.example.com/t');
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /ONTASKADD exists on this portal but is outside the application's scopes/);
});

test('init --bind uses the reachability rule of bind, plan and apply: a private handler of a local portal gets no warning', async () => {
  const handler = 'http://192.168.1.20:8080/b24';
  const result = await initBinding('lan', 'ONCRMDEALDELETE', handler);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, new RegExp(`Bound ONCRMDEALDELETE → ${handler.replace(/\./g, '\\.')}`));
  assert.doesNotMatch(result.stderr, /warning|local or private address|cannot reach/);
});
