// --persist NAME: the bindings stay after exit, events wait in the listener's queue, the next
// `listen --persist NAME` delivers them first (also what a killed run left reserved); --cleanup NAME ends it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listen, offlineBindings, queueRows, ready, spawnListen, until, listenFixture } from './helpers.js';

const CONNECTOR = 'b24-events-listen.persist.crm';

describe('listen --persist', () => {
  const fx = listenFixture({ scopes: ['crm'] });

  const deliveredIds = (from: number) => fx.hook.received.slice(from).map((r) => r.fields.get('data[FIELDS][ID]'));

  it('keeps the bindings, delivers what queued meanwhile first, and --cleanup NAME ends it', async () => {
    const args = ['--persist', 'crm', '--events', 'ONCRMDEALADD,ONCRMDEALUPDATE', '--forward-to', fx.hook.url];
    const first = listen(fx.portal, args);
    await ready(first);
    assert.equal(await first.stop(), 130);
    assert.match(
      first.stderr(),
      /^The persisted listener "crm" keeps its 2 bindings: events queue until `b24-events listen --persist crm` \(`b24-events listen --cleanup crm` ends it\)$/m,
    );
    assert.deepEqual(offlineBindings(fx.portal), [
      ['ONCRMDEALADD', CONNECTOR],
      ['ONCRMDEALUPDATE', CONNECTOR],
    ]);

    fx.portal.sandbox.trigger('ONCRMDEALADD', { FIELDS: { ID: '1' } }, { userId: 1 });
    fx.portal.sandbox.trigger('ONCRMDEALUPDATE', { FIELDS: { ID: '2' } }, { userId: 1 });
    const start = fx.hook.received.length;
    const second = listen(fx.portal, args);
    await until(() => fx.hook.received.length === start + 2, 'the events that waited');
    assert.match(second.stderr(), /^2 events waited in the queue of persisted listener "crm": delivering them first$/m);
    fx.portal.sandbox.trigger('ONCRMDEALADD', { FIELDS: { ID: '3' } }, { userId: 1 });
    await until(() => fx.hook.received.length === start + 3, 'a new event');
    assert.deepEqual(deliveredIds(start), ['1', '2', '3']);
    assert.equal(await second.stop(), 130);

    // a run that names fewer events drops the others' bindings
    const third = listen(fx.portal, ['--persist', 'crm', '--events', 'ONCRMDEALUPDATE', '--forward-to', fx.hook.url]);
    await ready(third);
    assert.deepEqual(offlineBindings(fx.portal), [['ONCRMDEALUPDATE', CONNECTOR]]);
    assert.equal(await third.stop(), 130);

    fx.portal.sandbox.trigger('ONCRMDEALUPDATE', { FIELDS: { ID: '4' } }, { userId: 1 });
    const ended = await fx.portal.cli(['listen', '--cleanup', 'crm']);
    assert.equal(ended.code, 0, ended.stderr);
    assert.match(ended.stderr, /^✓ persisted listener "crm": 1 binding removed \(ONCRMDEALUPDATE\); 1 queued event discarded$/m);
    assert.deepEqual(offlineBindings(fx.portal), []);
    assert.deepEqual(queueRows(fx.portal), [], 'a later --persist crm starts empty');
    const none = await fx.portal.cli(['listen', '--cleanup', 'crm']);
    assert.match(none.stderr, /^No persisted listener "crm" is bound: nothing to remove$/m);
  });

  it('what a killed persisted listener left reserved is delivered by the next one', async () => {
    const args = ['--persist', 'crm', '--events', 'ONCRMDEALADD', '--forward-to', fx.hook.url, '--retries', '20'];
    const killed = spawnListen(fx.portal, args);
    await ready(killed);
    await fx.hook.kill();
    fx.portal.sandbox.trigger('ONCRMDEALADD', { FIELDS: { ID: '8' } }, { userId: 1 });
    await until(() => killed.stderr().includes('is down'), 'the event in hand');
    killed.child.kill('SIGKILL');
    await killed.done;
    assert.match(queueRows(fx.portal)[0]?.PROCESS_ID ?? '', /^\w{32}$/, 'left reserved');
    await fx.hook.restart();
    const start = fx.hook.received.length;
    const next = listen(fx.portal, args);
    await until(() => fx.hook.received.length > start, 'the reserved event');
    assert.deepEqual(deliveredIds(start), ['8']);
    await until(() => queueRows(fx.portal).length === 0, 'its confirmation');
    assert.equal(await next.stop(), 130);
    assert.equal((await fx.portal.cli(['listen', '--cleanup', 'crm'])).code, 0);
  });
});
