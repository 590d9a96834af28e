// init reports the address it saved, which is not always what was typed: a scheme-less loopback
// address means http, and the token reply may name the application's portal elsewhere (confirmed).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setupPortal } from '../../helpers/portal.js';
import { startProxy } from '../../reliability/proxy.js';

const portal = await setupPortal();
// In front of the sandbox; its token replies name the proxy as the portal (client_endpoint and domain).
const proxy = await startProxy(portal.sandbox.url);
after(async () => {
  await proxy.close();
  await portal.close();
});

test('init reports the address it saved: typed without a scheme, moved by the token reply', async () => {
  const typed = portal.sandbox.url.replace(/^http:\/\//, '');
  const pair = portal.sandbox.issueTokens(portal.app.clientId, 1);
  const args = ['init', '--portal', typed, '--oauth-server', proxy.url, '--client-id', portal.app.clientId, '--name', 'moved', '--no-bind'];
  const result = await portal.cli(args, { env: { B24_CLIENT_SECRET: portal.app.clientSecret, B24_REFRESH_TOKEN: pair.refresh_token } });
  assert.equal(result.code, 0, result.stderr);
  assert.notEqual(proxy.url, portal.sandbox.url);
  assert.equal(portal.readConfig().profiles.moved?.portal, proxy.url, 'the address the token reply named and confirmed');
  assert.match(result.stderr, new RegExp(`^✓ Saved profile moved for ${proxy.url}( |$)`, 'm'));
  assert.doesNotMatch(result.stderr, new RegExp(`Saved profile moved for (http://)?${typed}`));
});

test('a scheme-less loopback portal is saved as http (nothing moved it)', async () => {
  const typed = portal.sandbox.url.replace(/^http:\/\//, '');
  const pair = portal.sandbox.issueTokens(portal.app.clientId, 1);
  const args = ['init', '--portal', typed, '--client-id', portal.app.clientId, '--name', 'plain', '--no-bind'];
  const result = await portal.cli(args, { env: { B24_CLIENT_SECRET: portal.app.clientSecret, B24_REFRESH_TOKEN: pair.refresh_token } });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(portal.readConfig().profiles.plain?.portal, `http://${typed}`);
  assert.match(result.stderr, new RegExp(`^✓ Saved profile plain for http://${typed}( |$)`, 'm'));
});
