// A sandbox restarted on the same port is a new portal at the old address: another member_id, none of
// the old tokens. A profile saved for the old one must not carry on as if nothing happened: its refresh
// token and client secret stay home, and the one line says what happened and what to do.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { setupPortal } from '../helpers/portal.js';
import { isMethod, isTokenRequest, relay, startProxy } from './proxy.js';

const portal = await setupPortal();
const port = Number(new URL(portal.sandbox.url).port);
const proxy = await startProxy(portal.sandbox.url); // the address the profile knows; the port behind it is reused
let current: Sandbox = portal.sandbox;
after(async () => {
  await proxy.close();
  await current.close();
  await portal.close();
});
const hook = 'https://hooks.example.com/restarted';
const tokenRequests = () => proxy.seen.filter(isTokenRequest).length;

/** Stops the sandbox and starts a new one on its port, with the same application (the recipe `b24-events sandbox` prints). */
async function restart(): Promise<Sandbox> {
  await current.close();
  current = await startSandbox({ rateLimit: false, port });
  current.createApp({ scopes: ['crm', 'task', 'user'], clientId: portal.app.clientId, clientSecret: portal.app.clientSecret });
  return current;
}

/** A profile of the sandbox as it runs now, behind the proxy, with something bound. */
async function boundProfile(fields: { accessTokenExpires?: number } = {}): Promise<void> {
  const pair = current.issueTokens(portal.app.clientId, 1);
  portal.writeProfile('admin', {
    portal: proxy.url,
    oauthServer: proxy.url,
    accessToken: pair.access_token,
    refreshToken: pair.refresh_token,
    accessTokenExpires: pair.expires,
    memberId: pair.member_id,
  });
  assert.equal((await portal.cli(['bind', 'ONCRMDEALADD', hook])).code, 0);
  if (fields.accessTokenExpires !== undefined) {
    const config = portal.readConfig();
    Object.assign(config.profiles.admin!, fields);
    writeFileSync(join(portal.configDir, 'config.json'), JSON.stringify(config));
  }
}

const hint = (url: string) => ` — set the profile up for the new sandbox: b24-events init --portal ${url} --name admin --force\n$`;

test('the next command with the token in hand: one line says the sandbox is another one, and what to do, which works', async () => {
  await boundProfile();
  const restarted = await restart();
  const result = await portal.cli(['handlers']);
  assert.equal(result.code, 4, result.stderr);
  assert.match(
    result.stderr,
    new RegExp(
      `^error: the sandbox at ${proxy.url} does not know profile "admin"'s token: it is not the one the profile was saved for \\(another member_id: restarted on the same port\\?\\)${hint(proxy.url)}`,
    ),
  );
  // Without a terminal, init asks for nothing: the application and its tokens come as flags.
  const printed = / — set the profile up for the new sandbox: b24-events (init .+)$/m.exec(result.stderr)![1]!.split(' ');
  const pair = restarted.issueTokens(portal.app.clientId, 1);
  const init = await portal.cli([...printed, '--client-id', portal.app.clientId, '--refresh-token', '-', '--no-bind'], {
    input: pair.refresh_token,
    env: { B24_CLIENT_SECRET: portal.app.clientSecret },
  });
  assert.equal(init.code, 0, init.stderr);
  assert.equal(portal.readConfig().profiles.admin!.memberId, restarted.memberId);
  const again = await portal.cli(['handlers', '--json']);
  assert.equal(again.code, 0, again.stderr);
});

test('the next command with its token due: the refresh token and client secret never reach the new sandbox', async () => {
  await boundProfile({ accessTokenExpires: 1 });
  const { refreshToken } = portal.readConfig().profiles.admin!;
  await restart();
  const before = tokenRequests();
  const result = await portal.cli(['handlers']);
  assert.equal(result.code, 4, result.stderr);
  assert.match(
    result.stderr,
    new RegExp(
      `^error: the sandbox at ${proxy.url} is not the one profile "admin" was saved for \\(another member_id: restarted on the same port\\?\\); the profile's refresh token was not sent to it${hint(proxy.url)}`,
    ),
  );
  assert.equal(tokenRequests(), before, 'no refresh was sent');
  assert.equal(portal.readConfig().profiles.admin!.refreshToken, refreshToken, 'the profile is left as it was');
});

test('a running command whose profile is saved for the restarted sandbox meanwhile: stopped with "run it again", which works', async () => {
  await boundProfile();
  proxy.arm(isMethod('event.get'), async (ctx) => {
    const restarted = await restart();
    const theirs = restarted.issueTokens(portal.app.clientId, 1);
    const config = portal.readConfig();
    Object.assign(config.profiles.admin!, {
      accessToken: theirs.access_token,
      refreshToken: theirs.refresh_token,
      accessTokenExpires: theirs.expires,
      memberId: theirs.member_id,
    });
    writeFileSync(join(portal.configDir, 'config.json'), JSON.stringify(config));
    await relay(ctx); // the old token, in hand, to the new sandbox
  });
  const before = tokenRequests();
  const result = await portal.cli(['unbind', '--handler', hook, '--all-events', '--yes', '--json']);
  assert.equal(result.code, 1, result.stderr);
  assert.match(
    result.stderr,
    /^error: profile "admin" was changed while this command ran \(its installation \(member_id\) changed\); stopped so no token goes to the wrong place — .*run the command again/,
  );
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.equal(tokenRequests(), before, 'no refresh was sent');
  const again = await portal.cli(['handlers', '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(JSON.parse(again.stdout), [], 'the new sandbox, as the profile now says');
});
