import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { approve, authorizeUrlOn, freePort, terminalSuite } from './support.js';

describe('init: Ctrl-C writes nothing', () => {
  const suite = terminalSuite();
  const snapshot = () => {
    const dir = suite.portal().configDir;
    return { files: readdirSync(dir).sort(), config: readFileSync(join(dir, 'config.json'), 'utf8') };
  };
  before(() => suite.portal().writeProfile('prod'));

  it('at the client secret prompt: exit 130, config untouched', async () => {
    const portal = suite.portal();
    const before = snapshot();
    const term = suite.start(['init', '--portal', portal.sandbox.url]);
    await term.prompt('Client id');
    term.answer(portal.app.clientId);
    await term.prompt('Client secret');
    term.type('half-typed-secret');
    term.press('C-c');
    assert.equal(await term.exitCode(), 130, term.screen());
    assert.match(term.screen(), /cancelled; nothing was saved/);
    assert.deepEqual(snapshot(), before);
  });

  it('after the code was exchanged: exit 130, says the new tokens are discarded, the saved profile still works', async () => {
    const portal = suite.portal();
    const before = snapshot();
    const handlerPath = `http://127.0.0.1:${await freePort()}/cb`;
    const app = portal.sandbox.createApp({ scopes: ['crm'], redirectUri: handlerPath });
    const args = ['init', '--portal', portal.sandbox.url, '--oauth-server', portal.sandbox.oauthUrl, '--client-id', app.clientId, '--handler-path', handlerPath];
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
});
