// A command still running while its config file changes: re-pointed to another portal, or caught
// half-written by an editor. The proxy's hook on the first call makes the change mid-command.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox/index.js';
import { setupPortal } from '../helpers/portal.js';
import { isMethod, isTokenRequest, relay, startProxy } from './proxy.js';
import { sleep } from './support.js';

const portal = await setupPortal();
const proxy = await startProxy(portal.sandbox.url);
const other = await startSandbox({ rateLimit: false });
const otherApp = other.createApp({ scopes: ['crm'] });
after(async () => {
  await proxy.close();
  await other.close();
  await portal.close();
});
const configFile = join(portal.configDir, 'config.json');
const hook = 'https://hooks.example.com/running';

/** `unbind --handler` reads the bindings (event.get), then unbinds them in a batch: two calls. */
function unbindEverywhere() {
  return portal.cli(['unbind', '--handler', hook, '--all-events', '--yes', '--json']);
}

function boundProfile(): void {
  portal.writeProfile('admin', { portal: proxy.url, oauthServer: proxy.url });
}

/** Between the two calls: `profile add admin --force` to another portal, as another terminal would. */
function repointAfterFirstCall(then: () => void = () => undefined) {
  const theirs = other.issueTokens(otherApp.clientId, 1);
  proxy.arm(isMethod('event.get'), async (ctx) => {
    const config = JSON.parse(JSON.stringify(portal.readConfig())) as ReturnType<typeof portal.readConfig>;
    config.profiles.admin = {
      portal: other.url,
      oauthServer: other.oauthUrl,
      clientId: otherApp.clientId,
      clientSecret: otherApp.clientSecret,
      accessToken: theirs.access_token,
      accessTokenExpires: theirs.expires,
      refreshToken: theirs.refresh_token,
      memberId: theirs.member_id,
    };
    writeFileSync(configFile, JSON.stringify(config));
    then();
    await relay(ctx);
  });
  return theirs;
}

const leaked = (secret: string) => proxy.seen.some((req) => req.path.includes(secret) || req.body.includes(secret));

test('a profile re-pointed to another portal mid-command: its token never reaches the old portal', async () => {
  boundProfile();
  assert.equal((await portal.cli(['bind', 'ONCRMDEALADD', hook])).code, 0);
  const theirs = repointAfterFirstCall();
  const result = await unbindEverywhere();
  assert.equal(result.code, 0, result.stderr);
  assert.equal(leaked(theirs.access_token), false, "the new portal's access token was sent to the old one");
});

test('re-pointed, then a refresh is due: the command stops with one line; no refresh token goes to the old OAuth server', async () => {
  boundProfile();
  assert.equal((await portal.cli(['bind', 'ONCRMDEALADD', hook])).code, 0);
  const tokensBefore = proxy.seen.filter(isTokenRequest).length;
  const theirs = repointAfterFirstCall(() => portal.sandbox.expireAccessTokens());
  const result = await unbindEverywhere();
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /^error: profile "admin" was changed while this command ran \(its portal changed from http:\/\/127\.0\.0\.1:\d+ to http:\/\/127\.0\.0\.1:\d+\); stopped so no token goes to the wrong place — /,
  );
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.equal(proxy.seen.filter(isTokenRequest).length, tokensBefore, 'no refresh was attempted');
  assert.equal(leaked(theirs.refresh_token) || leaked(otherApp.clientSecret), false);
});

test('a config file caught half-written mid-command: the token in hand is used, the command carries on', async () => {
  boundProfile();
  assert.equal((await portal.cli(['bind', 'ONCRMDEALADD', hook])).code, 0);
  const good = JSON.stringify(portal.readConfig());
  proxy.arm(isMethod('event.get'), async (ctx) => {
    writeFileSync(configFile, good.slice(0, 20)); // an editor saving in place, caught mid-write
    await relay(ctx);
  });
  const result = await unbindEverywhere();
  writeFileSync(configFile, good);
  assert.equal(result.code, 0, result.stderr);
});

test('a refresh that finds the file half-written waits it out instead of failing', async () => {
  boundProfile();
  assert.equal((await portal.cli(['bind', 'ONCRMDEALADD', hook])).code, 0);
  const good = JSON.stringify(portal.readConfig());
  proxy.arm(isMethod('event.get'), async (ctx) => {
    writeFileSync(configFile, '');
    portal.sandbox.expireAccessTokens();
    void sleep(400).then(() => writeFileSync(configFile, good)); // the editor finishes
    await relay(ctx);
  });
  const result = await unbindEverywhere();
  assert.equal(result.code, 0, result.stderr);
});
