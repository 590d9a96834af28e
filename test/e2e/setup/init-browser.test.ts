import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { approve, assertNoSecretOnScreen, authorizeUrlOn, freePort, terminalSuite } from './support.js';

describe('init in a terminal: browser authorization', () => {
  const suite = terminalSuite();

  it('takes the code on the loopback listener, exchanges it and saves the profile', async () => {
    const portal = suite.portal();
    const handlerPath = `http://127.0.0.1:${await freePort()}/b24-events`;
    const app = portal.sandbox.createApp({ scopes: ['crm'], redirectUri: handlerPath });
    const args = ['init', '--portal', portal.sandbox.url, '--oauth-server', portal.sandbox.oauthUrl, '--client-id', app.clientId, '--no-bind'];
    const term = suite.start(args);
    await term.prompt('Client secret');
    term.answer(app.clientSecret);
    await term.prompt('How should b24-events get the tokens?');
    term.press('Enter');
    await term.prompt("The application's Handler path");
    term.answer(handlerPath);
    await term.waitFor(`listening on ${handlerPath}`);
    const url = authorizeUrlOn(term.screen());
    assert.match(url, /\/oauth\/authorize\/\?client_id=[^&]+&state=[0-9a-f]{32}$/);

    // The scripted browser: the portal redirects to the Handler path, which is b24-events itself.
    const redirect = await approve(url);
    assert.equal(redirect.status, 302);
    assert.ok(redirect.location.startsWith(`${handlerPath}?`), redirect.location);
    const landing = await fetch(redirect.location);
    assert.equal(landing.status, 200);
    assert.match(await landing.text(), /received the authorization/);

    await term.waitFor('Authorization received');
    await term.prompt('Profile name');
    assert.match(term.screen(), /^✓ Authorization received$/m, 'on a line of its own, not after the stopped prompt');
    term.answer('browser');
    assert.equal(await term.exitCode(), 0, term.screen());
    const screen = term.screen();
    assert.doesNotMatch(screen, /Portal address|Client id/, 'flags are not asked again');
    assert.match(screen, /Saved profile browser/);

    const profile = portal.readConfig().profiles.browser as Record<string, unknown> | undefined;
    assert.ok(profile);
    assert.equal(profile.handlerPath, handlerPath);
    assert.equal(profile.clientId, app.clientId);
    assert.equal(typeof profile.refreshToken, 'string');
    assert.equal(typeof profile.memberId, 'string');
    assertNoSecretOnScreen(screen, [app.clientSecret, String(profile.refreshToken), String(profile.accessToken)]);
    assert.equal((await portal.cli(['status', '--profile', 'browser'])).code, 0, 'the saved tokens work');
  });

  it('takes a pasted redirect address when the Handler path is not local, refusing a foreign state', async () => {
    const portal = suite.portal();
    const handlerPath = 'https://app.example.com/b24/install';
    const app = portal.sandbox.createApp({ scopes: ['crm'], redirectUri: handlerPath });
    const args = [
      'init',
      '--portal',
      portal.sandbox.url,
      '--oauth-server',
      portal.sandbox.oauthUrl,
      '--client-id',
      app.clientId,
      '--name',
      'pasted',
      '--no-bind',
    ];
    const term = suite.start(args, { B24_CLIENT_SECRET: app.clientSecret });
    await term.prompt('How should b24-events get the tokens?');
    term.press('Enter');
    await term.prompt("The application's Handler path");
    term.answer(handlerPath);
    await term.prompt('Paste the address the browser was sent to');
    const url = authorizeUrlOn(term.screen());
    const { location } = await approve(url);
    assert.ok(location.startsWith(handlerPath), location);

    const forged = new URL(location);
    forged.searchParams.set('state', 'someone-else');
    term.answer(forged.toString());
    await term.waitFor('state differs');
    term.press('C-u');
    term.answer(location);
    await term.prompt('Make "pasted" the default profile (now "browser")?');
    term.press('Enter');
    assert.equal(await term.exitCode(), 0, term.screen());
    assert.equal(portal.readConfig().defaultProfile, 'browser', 'the default stays unless asked');
    const profile = portal.readConfig().profiles.pasted;
    assert.ok(profile?.refreshToken, 'saved with tokens');
    assert.equal((await portal.cli(['status', '--profile', 'pasted'])).code, 0);
    assertNoSecretOnScreen(term.screen(), [app.clientSecret, profile.refreshToken, profile.accessToken]);
  });
});
