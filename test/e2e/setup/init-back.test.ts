import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoSecretOnScreen, terminalSuite } from './support.js';

describe('init in a terminal: going back after a failed verification', () => {
  const suite = terminalSuite();

  it('a wrong client secret is reported, the user goes back, fixes it, and the unspent token still works', async () => {
    const portal = suite.portal();
    const { app, tokens, sandbox } = portal;
    const args = ['init', '--portal', sandbox.url, '--oauth-server', sandbox.oauthUrl, '--client-id', app.clientId, '--name', 'fixed', '--no-bind'];
    const term = suite.start(args);
    await term.prompt('Client secret');
    term.answer('wrong-secret-123456');
    await term.prompt('How should b24-events get the tokens?');
    term.press('Down', 'Enter');
    await term.prompt('auth[refresh_token]');
    term.answer(tokens.refresh_token);
    await term.prompt('auth[application_token]');
    term.press('Enter');
    await term.prompt('Verification failed. What now?');
    assert.match(term.screen(), /invalid_client/);
    assert.equal(portal.readConfig().profiles?.fixed, undefined, 'nothing saved on failure');
    term.press('Down', 'Enter'); // change the client id and secret
    await term.prompt('Client id');
    term.press('Enter'); // the previous answer is the default
    await term.prompt('Client secret');
    term.answer(app.clientSecret);
    await term.prompt('How should b24-events get the tokens?');
    term.press('Down', 'Enter');
    await term.prompt('auth[refresh_token]');
    term.answer(tokens.refresh_token);
    await term.prompt('auth[application_token]');
    term.press('Enter');
    assert.equal(await term.exitCode(), 0, term.screen());
    assert.match(term.screen(), /Saved profile fixed/);
    const profile = portal.readConfig().profiles.fixed;
    assert.equal(profile?.clientId, app.clientId);
    assert.equal(profile?.clientSecret, app.clientSecret);
    assertNoSecretOnScreen(term.screen(), [app.clientSecret, 'wrong-secret-123456', tokens.refresh_token, profile?.refreshToken]);
  });
});
