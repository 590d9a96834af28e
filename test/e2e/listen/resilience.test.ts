// Never silent, and it recovers: a handler restarting (retried with back-off), the portal restarting,
// a 503 and an expired token.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listen, queueRows, ready, until, listenFixture } from './helpers.js';

describe('listen: failures', () => {
  const fx = listenFixture({ scopes: ['crm'] });

  it('a handler that restarts is retried with back-off; one that stays down gets its event flagged and shown', async (t) => {
    const listener = listen(fx.portal, ['--events', 'ONCRMDEALADD', '--forward-to', fx.hook.url, '--retries', '4']);
    t.after(async () => {
      await listener.stop();
      await fx.hook.restart();
    });
    await ready(listener);
    await fx.hook.kill();
    fx.portal.sandbox.trigger('ONCRMDEALADD', { FIELDS: { ID: '1' } }, { userId: 1 });
    await until(() => listener.stderr().includes('is down'), 'the first retry');
    assert.match(listener.stderr(), /^The handler at 127\.0\.0\.1:\d+ is down \(ECONNREFUSED\): retrying with back-off, up to 4 times$/m);
    assert.deepEqual(
      queueRows(fx.portal).map((row) => row.ERROR),
      [0],
      'nothing confirmed or flagged while it is retried',
    );
    await fx.hook.restart();
    await until(() => /ONCRMDEALADD {2}1 {2}→ {2}200 {2}\d+ ms \(attempt [2-5]\)/.test(listener.stdout()), 'the delivery after the restart');
    await until(() => queueRows(fx.portal).length === 0, 'the confirmation');
    assert.equal(await listener.stop(), 130);

    const impatient = listen(fx.portal, ['--events', 'ONCRMDEALADD', '--forward-to', fx.hook.url, '--retries', '1']);
    t.after(() => impatient.stop());
    await ready(impatient);
    await fx.hook.kill();
    fx.portal.sandbox.trigger('ONCRMDEALADD', { FIELDS: { ID: '2' } }, { userId: 1 });
    await until(() => impatient.stdout().includes('ONCRMDEALADD  2'), 'the give-up line');
    assert.match(impatient.stdout(), /ONCRMDEALADD {2}2 {2}→ {2}cannot reach the handler \(ECONNREFUSED\) after 2 attempts$/m);
    await until(() => queueRows(fx.portal).some((row) => row.ERROR === 1), 'the flag');
    assert.equal(await impatient.stop(), 130);
  });

  it('the portal restarting, a 503 and an expired token: "reconnecting…", then it recovers', async (t) => {
    const listener = listen(fx.portal, ['--events', 'ONCRMDEALUPDATE', '--forward-to', fx.hook.url]);
    t.after(() => listener.stop());
    await ready(listener);
    const token = fx.portal.readConfig().profiles.admin?.accessToken;
    await fx.portal.sandbox.suspend();
    try {
      await until(
        () => /^Reconnecting… \(.*cannot reach 127\.0\.0\.1:\d+: connection (refused|reset).*\)$/m.test(listener.stderr()),
        `the reconnecting line:\n${listener.stderr()}`,
      );
      fx.portal.sandbox.trigger('ONCRMDEALUPDATE', { FIELDS: { ID: '10' } }, { userId: 1 });
    } finally {
      await fx.portal.sandbox.resume();
    }
    await until(() => listener.stdout().includes('ONCRMDEALUPDATE  10  →  200'), 'the event queued while the portal was down', 15_000);
    assert.match(listener.stderr(), /^Reconnected after [\d.]+s$/m);

    fx.portal.sandbox.injectFault({ kind: 'html', status: 503, times: 1 });
    await until(() => (listener.stderr().match(/^Reconnecting…/gm) ?? []).length === 2, 'a 503 page');
    assert.match(listener.stderr(), /^Reconnecting… \(.*HTTP 503.*\)$/m);
    await until(() => (listener.stderr().match(/^Reconnected after/gm) ?? []).length === 2, 'recovery from the 503', 15_000);

    fx.portal.sandbox.expireAccessTokens();
    fx.portal.sandbox.trigger('ONCRMDEALUPDATE', { FIELDS: { ID: '11' } }, { userId: 1 });
    await until(() => listener.stdout().includes('ONCRMDEALUPDATE  11  →  200'), 'a delivery after the token expired');
    const renewed = fx.portal.readConfig().profiles.admin?.accessToken;
    assert.notEqual(renewed, token, 'the token was refreshed and saved');
    assert.equal(fx.hook.received.at(-1)?.fields.get('auth[access_token]'), renewed, 'the delivery carries the current token');
    assert.match(listener.stderr(), /^The access token expired and was renewed: deliveries carry the new one$/m);
    assert.equal(await listener.stop(), 130);
  });
});
