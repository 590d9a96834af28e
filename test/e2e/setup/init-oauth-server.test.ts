import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { approve, assertNoFlagHints, assertNoSecretOnScreen, authorizeUrlOn, freePort, terminalSuite } from './support.js';

describe('init in a terminal: the OAuth server', () => {
  const suite = terminalSuite();

  it('against the sandbox: the portal is its own OAuth server, the app is created through the control API, the browser flow completes', async () => {
    const portal = suite.portal();
    const handlerPath = `http://127.0.0.1:${await freePort()}/b24-events`;
    const term = suite.start(['init', '--portal', portal.sandbox.url, '--handler-path', handlerPath, '--name', 'local-sandbox', '--no-bind']);
    await term.prompt('OAuth server (a local portal serves /oauth/token/ itself)');
    assert.ok(term.screen().includes(`(${portal.sandbox.url})`), `the portal itself is the answer Enter keeps:\n${term.screen()}`);
    term.press('Enter');
    await term.prompt('This portal is a b24-events sandbox. Create a local application on it now');
    term.press('Enter');
    await term.waitFor(/Created local application local\.\S+ on the sandbox \(Handler path http:\/\/127\.0\.0\.1:\d+\/b24-events\)/);
    await term.prompt('How should b24-events get the tokens?');
    term.press('Enter');
    await term.waitFor(`listening on ${handlerPath}`);
    assert.doesNotMatch(term.screen(), /Client id|Client secret|Handler path \(where/, 'nothing to type in');

    const { status, location } = await approve(authorizeUrlOn(term.screen()));
    assert.equal(status, 302);
    assert.ok(location.startsWith(`${handlerPath}?`), location);
    assert.equal((await fetch(location)).status, 200);
    assert.equal(await term.exitCode(), 0, term.screen());

    const profile = portal.readConfig().profiles['local-sandbox'] as Record<string, string> | undefined;
    assert.ok(profile, term.screen());
    assert.equal(profile.oauthServer, portal.sandbox.url, 'the code was exchanged at the sandbox, and refreshes go there too');
    assert.match(profile.clientId ?? '', /^local\./);
    assert.equal(typeof profile.applicationToken, 'string');
    assert.equal(profile.handlerPath, handlerPath);
    assertNoSecretOnScreen(term.screen(), [profile.clientSecret, profile.refreshToken, profile.accessToken, profile.applicationToken]);
    assertNoFlagHints(term.screen());
    const status2 = await portal.cli(['status', '--profile', 'local-sandbox']);
    assert.equal(status2.code, 0, status2.stderr);
  });

  it('an --oauth-server that does not answer stops init before anything is asked or authorized', async () => {
    const portal = suite.portal();
    const dead = `http://127.0.0.1:${await freePort()}`;
    const term = suite.start(['init', '--portal', portal.sandbox.url, '--oauth-server', dead, '--client-id', portal.app.clientId]);
    assert.equal(await term.exitCode(), 1, term.screen());
    assert.match(term.screen(), new RegExp(`error: the OAuth server ${dead} does not answer \\(cannot reach 127\\.0\\.0\\.1:\\d+: connection refused\\) — `));
    assert.doesNotMatch(term.screen(), /Client secret|How should b24-events get the tokens/);
  });

  it('another address asks for the OAuth server (cloud default shown) and refuses one that is not an OAuth server', async () => {
    const portal = suite.portal();
    const html = createServer((req, res) => {
      req.resume();
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not here</html>');
    });
    await new Promise<void>((resolve) => html.listen(0, '127.0.0.1', resolve));
    try {
      const notOAuth = `http://127.0.0.1:${(html.address() as { port: number }).port}`;
      const term = suite.start(['init', '--portal', 'https://portal.example.test', '--client-id', 'local.x.1']);
      await term.prompt('OAuth server');
      assert.match(term.screen(), /OAuth server .*\(https:\/\/oauth\.bitrix\.info\)/);
      term.answer(notOAuth);
      await term.waitFor(`${notOAuth} is not an OAuth server: /oauth/token/ answered HTTP 404 without an OAuth error reply`);
      await term.prompt('OAuth server');
      term.answer(portal.sandbox.url);
      await term.prompt('Client secret');
      term.press('C-c');
      assert.equal(await term.exitCode(), 130, term.screen());
    } finally {
      html.close();
    }
  });
});
