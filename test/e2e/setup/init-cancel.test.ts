import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { TestPortal } from '../../helpers/portal.js';
import { approve, authorizeUrlOn, freePort, freshCode, terminalSuite } from './support.js';

/** Arms a 10 s delay on the next `method` call; the returned wait resolves once that call arrived. */
function stall(portal: TestPortal, method: string): () => Promise<void> {
  const calls = () => portal.sandbox.requestLog().filter((entry) => entry.method === method).length;
  const seen = calls();
  portal.sandbox.injectFault({ method, kind: 'delay', ms: 10_000 });
  return () => waitForRequest(calls, seen, method);
}

async function waitForRequest(calls: () => number, seen: number, method: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (calls() <= seen) {
    assert.ok(Date.now() < deadline, `no ${method} request arrived`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('init: Ctrl-C writes nothing', () => {
  const suite = terminalSuite();
  const snapshot = () => {
    const dir = suite.portal().configDir;
    return { files: readdirSync(dir).sort(), config: readFileSync(join(dir, 'config.json'), 'utf8') };
  };
  before(() => suite.portal().writeProfile('prod'));

  /** Runs init up to verification, holds the portal's reply and presses Ctrl-C (a SIGINT, no prompt). */
  async function interruptVerification(portal: TestPortal, args: string[], env: Record<string, string>): Promise<string> {
    const verifying = stall(portal, 'batch');
    const term = suite.start(['init', '--portal', portal.sandbox.url, '--oauth-server', portal.sandbox.oauthUrl, ...args], env);
    await term.prompt('Make "');
    term.press('Enter'); // keep the default profile as it is
    await term.waitFor('Verifying the credentials');
    await verifying();
    term.press('C-c');
    assert.equal(await term.exitCode(), 130, term.screen());
    return term.screen();
  }

  it('at the client secret prompt: exit 130, config untouched', async () => {
    const portal = suite.portal();
    const before = snapshot();
    const term = suite.start(['init', '--portal', portal.sandbox.url]);
    await term.prompt('OAuth server');
    term.press('Enter');
    await term.prompt('This portal is a b24-events sandbox. Create a local application');
    term.answer('n');
    await term.prompt('Client id');
    term.answer(portal.app.clientId);
    await term.prompt('Client secret');
    term.type('half-typed-secret');
    term.press('C-c');
    assert.equal(await term.exitCode(), 130, term.screen());
    assert.match(term.screen(), /^Cancelled; nothing was saved/m);
    assert.doesNotMatch(term.screen(), /error: cancel/i, 'cancelling is not an error');
    assert.deepEqual(snapshot(), before);
  });

  it('after the code was exchanged: exit 130, says the new tokens are discarded, the saved profile still works', async () => {
    const portal = suite.portal();
    const before = snapshot();
    const handlerPath = `http://127.0.0.1:${await freePort()}/cb`;
    const app = portal.sandbox.createApp({ scopes: ['crm'], redirectUri: handlerPath });
    const args = [
      'init',
      '--portal',
      portal.sandbox.url,
      '--oauth-server',
      portal.sandbox.oauthUrl,
      '--client-id',
      app.clientId,
      '--handler-path',
      handlerPath,
    ];
    const term = suite.start(args, { B24_CLIENT_SECRET: app.clientSecret });
    await term.prompt('How should b24-events get the tokens?');
    term.press('Enter');
    await term.waitFor('listening on');
    const { location } = await approve(authorizeUrlOn(term.screen()));
    assert.equal((await fetch(location)).status, 200);
    await term.prompt('Profile name');
    term.press('C-c');
    assert.equal(await term.exitCode(), 130, term.screen());
    assert.match(term.screen(), /nothing was saved \(the tokens from the authorization you approved are discarded; no saved profile was touched\)/);
    assert.deepEqual(snapshot(), before);
    const status = await portal.cli(['status']);
    assert.equal(status.code, 0, `the existing profile's chain is intact: ${status.stderr}`);
  });

  it('during verification (a request in flight, no prompt): exit 130, nothing saved', async () => {
    const portal = suite.portal();
    const before = snapshot();
    const app = portal.sandbox.createApp({ scopes: ['crm'], redirectUri: 'https://app.example.com/cb' });
    const { location } = await freshCode(portal, app.clientId);
    const screen = await interruptVerification(portal, ['--client-id', app.clientId, '--name', 'slow', '--redirect-url', location], {
      B24_CLIENT_SECRET: app.clientSecret,
    });
    assert.match(screen, /Cancelled; nothing was saved \(the tokens from the authorization you approved are discarded/);
    assert.deepEqual(snapshot(), before);
  });

  it('during verification after a pasted refresh token was spent: its successor is kept and the message says so', async () => {
    const portal = suite.portal();
    const pair = portal.sandbox.issueTokens(portal.app.clientId, 1);
    const env = { B24_CLIENT_SECRET: portal.app.clientSecret, B24_REFRESH_TOKEN: pair.refresh_token };
    const screen = await interruptVerification(portal, ['--client-id', portal.app.clientId, '--name', 'pasted'], env);
    assert.match(screen, /Cancelled; profile pasted was saved: verification had already rotated its refresh token/);
    const saved = portal.readConfig().profiles.pasted;
    assert.ok(saved?.refreshToken && saved.refreshToken !== pair.refresh_token, 'the successor of the spent token is saved');
  });
});
