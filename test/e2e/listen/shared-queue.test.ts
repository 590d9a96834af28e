// A plan without rest_auth_connector: listen explains and offers --shared-queue, which reads only its
// own events from the default queue and leaves bindings it did not make in place.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listen, offlineBindings, queueRows, ready, until, listenFixture } from './helpers.js';

describe('listen without rest_auth_connector', () => {
  const fx = listenFixture({ scopes: ['crm'], features: { rest_auth_connector: false } });

  it('explains and offers --shared-queue; nothing is bound', async () => {
    const result = await fx.portal.cli(['listen', '--events', 'ONCRMDEALADD']);
    assert.equal(result.code, 4);
    assert.match(
      result.stderr,
      /^error: the portal's plan lacks rest_auth_connector, so a listener cannot have an offline queue of its own — pass --shared-queue to listen on the default offline queue instead: it competes with every other consumer/,
    );
    assert.deepEqual(offlineBindings(fx.portal), []);
  });

  it('--shared-queue: a warning, only its own events, and only its own bindings removed', async () => {
    assert.equal((await fx.portal.cli(['bind', 'ONCRMDEALUPDATE', '--offline'])).code, 0);
    assert.equal((await fx.portal.cli(['bind', 'ONCRMLEADADD', '--offline'])).code, 0);
    const listener = listen(fx.portal, ['--shared-queue', '--events', 'ONCRMDEALADD,ONCRMDEALUPDATE', '--forward-to', fx.hook.url]);
    await ready(listener);
    assert.match(listener.stderr(), /^warning: --shared-queue: the listener reads the default offline queue, which every other consumer of it reads too/m);
    fx.portal.sandbox.trigger('ONCRMLEADADD', { FIELDS: { ID: '1' } }, { userId: 1 });
    fx.portal.sandbox.trigger('ONCRMDEALADD', { FIELDS: { ID: '2' } }, { userId: 1 });
    fx.portal.sandbox.trigger('ONCRMDEALUPDATE', { FIELDS: { ID: '3' } }, { userId: 1 });
    await until(() => fx.hook.received.length === 2, 'its two events');
    assert.deepEqual(fx.hook.received.map((r) => r.fields.get('event')).sort(), ['ONCRMDEALADD', 'ONCRMDEALUPDATE']);
    assert.equal(await listener.stop(), 130);
    assert.match(listener.stderr(), /^Stopped: 1 binding of the default queue removed; ONCRMDEALUPDATE stayed bound as before$/m);
    assert.deepEqual(offlineBindings(fx.portal).sort(), [
      ['ONCRMDEALUPDATE', ''],
      ['ONCRMLEADADD', ''],
    ]);
    assert.deepEqual(
      queueRows(fx.portal).map((row) => [row.EVENT_NAME, row.PROCESS_ID]),
      [['ONCRMLEADADD', '']],
      'another consumer’s event is left unreserved',
    );
  });
});
