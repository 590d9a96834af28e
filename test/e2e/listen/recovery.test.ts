// Recovery beyond a plain retry: a clock jump (the laptop slept) with a request hanging on a dead
// connection, a reply lost after the portal reserved records; and --give-up-after, which ends it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listen, polling, queueRows, ready, until, listenFixture } from './helpers.js';

describe('listen: recovery', () => {
  const fx = listenFixture({ scopes: ['crm'] });

  it('a clock jump (sleep) drops a request hanging on a dead connection and reconnects at once', async (t) => {
    let skew = 0;
    const listener = listen(fx.portal, ['--events', 'ONCRMLEADADD', '--forward-to', fx.hook.url], { now: () => Date.now() + skew });
    t.after(() => listener.stop());
    await ready(listener);
    await polling(fx.portal);
    const before = fx.portal.sandbox.requestLog().length;
    fx.portal.sandbox.injectFault({ kind: 'delay', ms: 20_000, times: 1 });
    await until(() => fx.portal.sandbox.requestLog().length > before, 'a request to hang');
    skew = 3600_000;
    await until(() => listener.stderr().includes('the clock jumped'), 'the jump to be noticed', 5000);
    assert.match(listener.stderr(), /^Reconnecting… \(the clock jumped 1h 0m ahead: was the machine asleep\?\)$/m);
    fx.portal.sandbox.trigger('ONCRMLEADADD', { FIELDS: { ID: '5' } }, { userId: 1 });
    await until(() => listener.stdout().includes('ONCRMLEADADD  5  →  200'), 'a delivery long before the hung reply', 8000);
    assert.match(listener.stderr(), /^Reconnected after [\d.]+s$/m);
    assert.equal(await listener.stop(), 130);
  });

  it('a read whose reply was lost after it reserved records: the listener takes them over from its own queue', async (t) => {
    const listener = listen(fx.portal, ['--events', 'ONCRMCONTACTADD', '--forward-to', fx.hook.url], { env: { B24_TIMEOUT: '1' } });
    t.after(() => listener.stop());
    await ready(listener);
    await polling(fx.portal);
    fx.portal.sandbox.injectFault({ kind: 'delay', ms: 1500, times: 1 });
    fx.portal.sandbox.trigger('ONCRMCONTACTADD', { FIELDS: { ID: '6' } }, { userId: 1 });
    await until(() => listener.stderr().includes('Reconnecting…'), 'the lost reply');
    await until(() => queueRows(fx.portal).some((row) => row.PROCESS_ID !== ''), 'the late reservation');
    await until(() => listener.stdout().includes('ONCRMCONTACTADD  6  →  200'), 'the reserved event', 8000);
    await until(() => queueRows(fx.portal).length === 0, 'its confirmation');
    assert.equal(await listener.stop(), 130);
  });

  it('a portal that fails the very first take-over of reserved batches is retried, not fatal', async () => {
    fx.portal.sandbox.injectFault({ method: 'event.offline.list', kind: 'html', status: 503, times: 3 });
    const listener = listen(fx.portal, ['--events', 'ONCRMDEALDELETE', '--forward-to', fx.hook.url]);
    await until(() => listener.stderr().includes('Reconnecting… (event.offline.list'), 'the outage');
    fx.portal.sandbox.trigger('ONCRMDEALDELETE', { FIELDS: { ID: '3' } }, { userId: 1 });
    await until(() => listener.stdout().includes('ONCRMDEALDELETE  3  →  200'), 'the delivery after it', 8000);
    assert.match(listener.stderr(), /^Reconnected after [\d.]+s$/m);
    assert.equal(await listener.stop(), 130);
  });

  it('--give-up-after: exit 1 with one clear line instead of hanging', async (t) => {
    const listener = listen(fx.portal, ['--events', 'ONCRMLEADUPDATE', '--forward-to', fx.hook.url, '--give-up-after', '0.5s']);
    t.after(() => listener.stop());
    await ready(listener);
    await fx.portal.sandbox.suspend();
    try {
      let code: number | undefined;
      void listener.done.then((exit) => (code = exit));
      await until(() => code !== undefined, 'the listener to give up');
      assert.equal(code, 1);
      assert.match(
        listener.stderr(),
        /^error: gave up after 0.5s without the portal \(.*cannot reach 127\.0\.0\.1:\d+: connection (refused|reset).*\) — check the network and the portal, then start `b24-events listen` again$/m,
      );
      assert.match(
        listener.stderr(),
        /^warning: could not remove the listener's bindings .*: the next `b24-events listen` or `b24-events listen --cleanup` removes them$/m,
      );
    } finally {
      await fx.portal.sandbox.resume();
    }
    const cleanup = await fx.portal.cli(['listen', '--cleanup']);
    assert.match(cleanup.stderr, /1 binding removed \(ONCRMLEADUPDATE\)/, 'the next clean-up finds it (its listener is gone)');
  });
});
