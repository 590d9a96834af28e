// Production routing on the developer's machine (-f MANIFEST --rewrite), and isolation: a listener takes
// nothing from the default queue nor from another listener, each gets its own copy of an event.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { handlerProcess, listen, listenFixture, offlineBindings, queueRows, ready, until } from './helpers.js';

describe('listen: routing and isolation', () => {
  const fx = listenFixture({ scopes: ['crm', 'task'] });

  it('-f MANIFEST --rewrite FROM=TO: each event to its own handler path under the local base', async () => {
    const manifest = join(fx.portal.configDir, 'b24-events.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        version: 1,
        bindings: [
          { event: 'ONCRMDEALADD', handler: 'https://hooks.example.com/b24/deal' },
          { event: 'ONTASKUPDATE', handler: 'https://hooks.example.com/b24/task', auth_type: 1 },
          { event: 'ONCRMLEADADD', offline: true },
          { event: 'ONOFFLINEEVENT', handler: 'https://hooks.example.com/b24/queue' },
        ],
      }),
    );
    const unmatched = await fx.portal.cli(['listen', '-f', manifest, '--rewrite', 'https://other.example.com=localhost:1']);
    assert.equal(unmatched.code, 2);
    assert.match(
      unmatched.stderr,
      /ONCRMDEALADD → https:\/\/hooks\.example\.com\/b24\/deal matches no --rewrite FROM — add --rewrite https:\/\/hooks\.example\.com=/,
    );
    const listener = listen(fx.portal, ['-f', manifest, '--rewrite', `https://hooks.example.com=127.0.0.1:${fx.hook.port}`]);
    await ready(listener);
    assert.match(listener.stderr(), /^ONCRMLEADADD \(offline\) is not listened to/m);
    assert.match(listener.stderr(), /^ONOFFLINEEVENT is not listened to/m);
    assert.deepEqual(
      offlineBindings(fx.portal)
        .map(([event]) => event)
        .sort(),
      ['ONCRMDEALADD', 'ONTASKUPDATE'],
    );
    const start = fx.hook.received.length;
    fx.portal.sandbox.trigger('ONTASKUPDATE', { FIELDS_AFTER: { ID: '3' } }, { userId: 1 });
    fx.portal.sandbox.trigger('ONCRMDEALADD', { FIELDS: { ID: '4' } }, { userId: 1 });
    await until(() => fx.hook.received.length === start + 2, 'both deliveries');
    const byPath = Object.fromEntries(fx.hook.received.slice(start).map((r) => [r.path, r.fields.get('event')]));
    assert.deepEqual(byPath, { '/b24/task': 'ONTASKUPDATE', '/b24/deal': 'ONCRMDEALADD' });
    await until(() => /ONCRMDEALADD {2}4 {2}→ {2}http:\/\/127\.0\.0\.1:\d+\/b24\/deal {2}200/.test(listener.stdout()), 'the routed line names its handler');
    assert.equal(await listener.stop(), 130);
  });

  it('takes nothing from the default queue nor from a second listener: each gets its own copy', async () => {
    assert.equal((await fx.portal.cli(['bind', 'ONCRMDEALUPDATE', '--offline'])).code, 0, 'production’s own offline binding');
    const other = await handlerProcess();
    const first = listen(fx.portal, ['--events', 'ONCRMDEALUPDATE', '--forward-to', `${fx.hook.url}/first`]);
    const second = listen(fx.portal, ['--events', 'ONCRMDEALUPDATE', '--forward-to', `${other.url}/second`]);
    try {
      await Promise.all([ready(first), ready(second)]);
      const connectors = new Set(offlineBindings(fx.portal).map(([, connector]) => connector));
      assert.equal(connectors.size, 3, 'the default queue and one connector per listener');
      const start = fx.hook.received.length;
      fx.portal.sandbox.trigger('ONCRMDEALUPDATE', { FIELDS: { ID: '77' } }, { userId: 1 });
      await until(() => fx.hook.received.length === start + 1 && other.received.length === 1, 'a copy for each listener');
      assert.equal(other.received[0]?.path, '/second');
      assert.equal(fx.hook.received.at(-1)?.path, '/first');
      assert.equal(await first.stop(), 130);
      assert.equal(await second.stop(), 130);
      const left = queueRows(fx.portal);
      assert.deepEqual(
        left.map((row) => [row.EVENT_NAME, row.CONNECTOR_ID, row.PROCESS_ID]),
        [['ONCRMDEALUPDATE', '', '']],
        'the default queue’s copy is untouched, unreserved',
      );
      assert.deepEqual(offlineBindings(fx.portal), [['ONCRMDEALUPDATE', '']], 'production’s binding stays');
      const drained = await fx.portal.cli(['offline', 'drain']);
      assert.equal(JSON.parse(drained.stdout).EVENT_DATA.FIELDS.ID, '77', 'production still gets it');
    } finally {
      await other.close();
    }
  });
});
