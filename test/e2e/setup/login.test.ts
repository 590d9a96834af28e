import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, beforeEach, describe, it } from 'node:test';
import type { SandboxApp } from '../../../src/sandbox/index.js';
import { assertNoSecrets, type TestPortal } from '../../helpers/portal.js';
import { assertNoSecretOnScreen, freePort, freshCode, terminalSuite } from './support.js';

describe('login', () => {
  const suite = terminalSuite();
  let portal: TestPortal;
  let handlerPath: string;
  const configFile = () => join(portal.configDir, 'config.json');
  const profile = () => portal.readConfig().profiles.prod as unknown as Record<string, unknown>;

  let app: SandboxApp;
  before(async () => {
    handlerPath = `http://127.0.0.1:${await freePort()}/b24-events`;
    portal = suite.portal();
    app = portal.sandbox.createApp({ scopes: ['crm', 'user'], redirectUri: handlerPath });
  });
  beforeEach(() => {
    // A profile whose chain is broken (a spent refresh token), with settings login must keep.
    const broken = { refreshToken: 'spent-refresh-token-0000', accessToken: 'expired-access-token-0000', accessTokenExpires: 1 };
    portal.writeProfile('prod', { clientId: app.clientId, clientSecret: app.clientSecret, applicationToken: app.applicationToken, ...broken });
    const config = JSON.parse(readFileSync(configFile(), 'utf8'));
    config.profiles.prod.handlerPath = handlerPath;
    writeFileSync(configFile(), JSON.stringify(config));
  });

  /** Fields login must not touch. */
  function assertKept(): void {
    const p = profile();
    assert.equal(p.handlerPath, handlerPath);
    assert.equal(p.clientSecret, app.clientSecret);
    assert.equal(p.applicationToken, app.applicationToken);
    assert.equal(p.portal, portal.sandbox.url);
  }

  it('--refresh-token from stdin: verifies, replaces the chain, keeps everything else', async () => {
    const pair = portal.sandbox.issueTokens(app.clientId, 1);
    const result = await portal.cli(['login', '--profile', 'prod', '--refresh-token', '-'], { input: pair.refresh_token });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Re-authorized profile prod/);
    assert.match(result.stderr, /administrator: yes/);
    const p = profile();
    assert.notEqual(p.refreshToken, 'spent-refresh-token-0000');
    assert.notEqual(p.refreshToken, pair.refresh_token, 'verification spent the given token and saved its successor');
    assert.notEqual(p.accessToken, 'expired-access-token-0000');
    assertKept();
    assertNoSecrets(result, [pair.refresh_token, String(p.refreshToken), String(p.accessToken), app.clientSecret]);
    assert.equal((await portal.cli(['status'])).code, 0);
  });

  it('--application-token alone stores that token and nothing else: no tokens spent, no request', async () => {
    const before = profile();
    const requests = portal.sandbox.requestLog().length;
    const result = await portal.cli(['login', '--profile', 'prod', '--application-token', '-'], { input: 'f'.repeat(32) });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Saved the application token of profile prod/);
    assert.equal(profile().applicationToken, 'f'.repeat(32));
    assert.deepEqual({ ...profile(), applicationToken: before.applicationToken }, before, 'nothing else changed');
    assert.equal(portal.sandbox.requestLog().length, requests);
    assert.ok(!result.stderr.includes('f'.repeat(32)));
  });

  it('--code and --redirect-url exchange a fresh code; a spent code is refused and changes nothing', async () => {
    const { code } = await freshCode(portal, app.clientId);
    const byCode = await portal.cli(['login', '--code', code]);
    assert.equal(byCode.code, 0, byCode.stderr);
    assertKept();
    const afterCode = readFileSync(configFile(), 'utf8');

    const again = await portal.cli(['login', '--code', code]);
    assert.equal(again.code, 4, again.stderr);
    assert.match(again.stderr, /codes are single-use and expire 30 seconds after the redirect/);
    assert.equal(readFileSync(configFile(), 'utf8'), afterCode, 'a refused code changes nothing');

    const { location } = await freshCode(portal, app.clientId);
    const byUrl = await portal.cli(['login', '--redirect-url', location]);
    assert.equal(byUrl.code, 0, byUrl.stderr);
    assert.notEqual(readFileSync(configFile(), 'utf8'), afterCode);
    assertKept();
    assert.equal((await portal.cli(['status'])).code, 0);
  });

  it('without a terminal it never asks: exit 2 naming the token flags; --print-url prints the address', async () => {
    const result = await portal.cli(['login']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /missing: --code, --redirect-url or --refresh-token/);
    const url = await portal.cli(['login', '--print-url']);
    assert.equal(url.code, 0);
    assert.equal(url.stdout.trim(), `${portal.sandbox.url}/oauth/authorize/?client_id=${encodeURIComponent(app.clientId)}`);
    const none = await portal.cli(['login', '--profile', 'nope', '--print-url']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /profile "nope" does not exist/);
  });

  it('in a terminal: opens the browser (BROWSER), takes the loopback redirect, re-authorizes', async () => {
    // A scripted browser: follows the portal's redirect to the Handler path, i.e. to b24-events.
    const browser = join(portal.configDir, 'browser.mjs');
    writeFileSync(browser, 'await fetch(process.argv[2]);\n');
    const term = suite.start(['login', '--profile', 'prod'], { BROWSER: `${process.execPath} ${browser}` });
    await term.prompt('How should b24-events get the tokens?');
    term.press('Enter');
    await term.prompt("The application's Handler path");
    term.press('Enter'); // the remembered Handler path is the default
    await term.waitFor('Re-authorized profile prod', { timeoutMs: 20_000 });
    assert.equal(await term.exitCode(), 0, term.screen());
    const screen = term.screen();
    assert.match(screen, /opening it in your browser/);
    assert.match(screen, /Authorization received/);
    assertKept();
    const p = profile();
    assertNoSecretOnScreen(screen, [String(p.refreshToken), String(p.accessToken), app.clientSecret]);
    assert.equal((await portal.cli(['status'])).code, 0);
  });
});
