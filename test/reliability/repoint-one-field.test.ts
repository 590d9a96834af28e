// A profile re-pointed mid-command by changing one part of its identity only — the OAuth server, or the
// client id — is treated like a re-pointed portal: a refresh that falls due stops the command with one
// line, and no refresh token goes to either OAuth server.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox/index.js';
import { setupPortal } from '../helpers/portal.js';
import { isMethod, isTokenRequest, relay, startProxy } from './proxy.js';

const portal = await setupPortal();
const proxy = await startProxy(portal.sandbox.url);
const otherServer = await startSandbox({ rateLimit: false });
after(async () => {
  await proxy.close();
  await otherServer.close();
  await portal.close();
});
const hook = 'https://hooks.example.com/one-field';
type Profile = ReturnType<typeof portal.readConfig>['profiles'][string];

/** Binds through the proxy, then changes `fields` of the profile between the two calls of an unbind, with the token due. */
async function unbindWhileChanging(fields: (profile: Profile) => Partial<Profile>) {
  portal.writeProfile('admin', { portal: proxy.url, oauthServer: proxy.url });
  assert.equal((await portal.cli(['bind', 'ONCRMDEALADD', hook])).code, 0);
  proxy.arm(isMethod('event.get'), async (ctx) => {
    const config = portal.readConfig();
    const admin = config.profiles.admin as Profile;
    config.profiles.admin = { ...admin, ...fields(admin) };
    writeFileSync(join(portal.configDir, 'config.json'), JSON.stringify(config));
    portal.sandbox.expireAccessTokens();
    await relay(ctx);
  });
  const tokenRequests = proxy.seen.filter(isTokenRequest).length;
  const result = await portal.cli(['unbind', '--handler', hook, '--all-events', '--yes', '--json']);
  assert.equal(proxy.seen.filter(isTokenRequest).length, tokenRequests, 'no refresh was sent to the old OAuth server');
  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  return result;
}

test('only the OAuth server changed mid-command: stopped like a re-pointed portal, nothing sent to the new server', async () => {
  const result = await unbindWhileChanging(() => ({ oauthServer: otherServer.oauthUrl }));
  assert.match(
    result.stderr,
    /^error: profile "admin" was changed while this command ran \(its OAuth server changed from http:\/\/127\.0\.0\.1:\d+ to http:\/\/127\.0\.0\.1:\d+\); stopped so no token goes to the wrong place — /,
  );
  assert.equal(otherServer.requestLog().length, 0);
});

test('only the client id changed mid-command: stopped like a re-pointed portal', async () => {
  const app = portal.sandbox.createApp({ scopes: ['crm'] });
  const theirs = portal.sandbox.issueTokens(app.clientId, 1);
  const result = await unbindWhileChanging(() => ({ clientId: app.clientId, accessToken: theirs.access_token, refreshToken: theirs.refresh_token }));
  assert.match(
    result.stderr,
    /^error: profile "admin" was changed while this command ran \(its client id changed\); stopped so no token goes to the wrong place — /,
  );
  assert.equal(
    proxy.seen.some((req) => req.body.includes(theirs.refresh_token)),
    false,
  );
});
