import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoSecretOnScreen, terminalSuite } from './support.js';

describe('init in a terminal: pasted tokens, then binding events', () => {
  const suite = terminalSuite();

  it('asks step by step, masks secrets, verifies, saves and binds the chosen events', async () => {
    const portal = suite.portal();
    const { app, tokens, sandbox } = portal;
    const term = suite.start(['init', '--oauth-server', sandbox.oauthUrl]);
    await term.prompt('Portal address');
    term.answer(sandbox.url);
    await term.waitFor('Local application');
    await term.prompt('Client id');
    term.answer(app.clientId);
    await term.prompt('Client secret');
    term.answer(app.clientSecret);
    await term.prompt('How should b24-events get the tokens?');
    term.press('Down', 'Enter');
    await term.prompt('auth[refresh_token]');
    term.answer(tokens.refresh_token);
    await term.prompt('auth[application_token]');
    term.answer(app.applicationToken);
    await term.prompt('Profile name');
    term.answer('sandbox');
    await term.prompt('Bind events now?');
    const saved = term.screen();
    assert.match(saved, /Saved profile sandbox for http:\/\/127\.0\.0\.1:\d+ \(default\)/);
    assert.match(saved, /Verified: user .*administrator: yes/);
    term.press('Enter');
    await term.prompt('Events to bind');
    term.type('dealadd');
    await term.waitFor(/❯◯ ONCRMDEALADD/);
    term.press('Space');
    await term.waitFor('1 selected');
    term.press('BSpace', 'BSpace', 'BSpace');
    term.type('upd');
    await term.waitFor(/❯◯ ONCRMDEALUPDATE/);
    term.press('Space');
    await term.waitFor('2 selected');
    term.press('Enter');
    await term.prompt('How should the portal deliver them?');
    term.press('Enter');
    await term.prompt('Handler URL');
    term.answer('https://hooks.example.com/b24/deal');
    assert.equal(await term.exitCode(), 0, term.screen());

    const screen = term.screen();
    assert.match(screen, /Client secret: \*+/);
    assert.match(screen, /Bound ONCRMDEALADD → https:\/\/hooks\.example\.com\/b24\/deal/);
    assert.match(screen, /Bound ONCRMDEALUPDATE → https:\/\/hooks\.example\.com\/b24\/deal/);
    assert.match(screen, /Handlers registered now/);

    const profile = portal.readConfig().profiles.sandbox;
    assert.ok(profile, 'profile saved');
    assert.equal(portal.readConfig().defaultProfile, 'sandbox');
    assert.equal(profile.clientSecret, app.clientSecret);
    assert.equal(profile.applicationToken, app.applicationToken);
    assert.ok(profile.refreshToken && profile.refreshToken !== tokens.refresh_token, 'verification spent the pasted token and saved its successor');
    assertNoSecretOnScreen(screen, [
      app.clientSecret,
      app.applicationToken,
      tokens.refresh_token,
      tokens.access_token,
      profile.refreshToken,
      profile.accessToken,
    ]);

    const handlers = await portal.cli(['handlers', '--json']);
    assert.equal(handlers.code, 0, handlers.stderr);
    const rows = JSON.parse(handlers.stdout) as { event: string; handler: string }[];
    assert.deepEqual(rows.map((r) => `${r.event} ${r.handler}`).sort(), [
      'ONCRMDEALADD https://hooks.example.com/b24/deal',
      'ONCRMDEALUPDATE https://hooks.example.com/b24/deal',
    ]);
  });
});
