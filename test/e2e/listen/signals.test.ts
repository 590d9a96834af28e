// Clean-up as the built binary does it: Ctrl-C (SIGINT) and SIGTERM settle and unbind; a SIGKILLed
// listener's leftovers are marked by `handlers`, removed by `listen --cleanup` or the next listen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listen, offlineBindings, queueRows, ready, spawnListen, until, listenFixture } from './helpers.js';

describe('listen: signals and leftovers', () => {
  const fx = listenFixture({ scopes: ['crm'], slowPaths: ['/slow'] });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} settles the delivery in hand, unbinds and says so (exit 130)`, async () => {
      const listener = spawnListen(fx.portal, ['--events', 'ONCRMDEALADD,ONCRMDEALUPDATE', '--forward-to', fx.hook.url]);
      await ready(listener);
      assert.equal(offlineBindings(fx.portal).length, 2);
      fx.portal.sandbox.trigger('ONCRMDEALADD', { FIELDS: { ID: '1' } }, { userId: 1 });
      await until(() => listener.stdout().includes('ONCRMDEALADD  1  →  200'), 'the delivery');
      listener.child.kill(signal);
      const { code } = await listener.done;
      assert.equal(code, 130, listener.stderr());
      assert.match(listener.stderr(), /^Stopping: finishing the delivery in hand and settling it, then removing the bindings/m);
      assert.match(
        listener.stderr(),
        new RegExp(`^Stopped listener pid ${listener.child.pid} on \\S+: 2 bindings removed \\(ONCRMDEALADD, ONCRMDEALUPDATE\\)$`, 'm'),
      );
      assert.deepEqual(offlineBindings(fx.portal), []);
      assert.deepEqual(queueRows(fx.portal), []);
    });
  }

  it('SIGINT during a delivery: it is finished and confirmed before the listener ends (a persisted queue does not send it again)', async (t) => {
    const args = ['--persist', 'inhand', '--events', 'ONCRMDEALADD', '--forward-to', `${fx.hook.url}/slow`];
    t.after(() => fx.portal.cli(['listen', '--cleanup', 'inhand']));
    const listener = spawnListen(fx.portal, args);
    await ready(listener);
    const start = fx.hook.received.length;
    fx.portal.sandbox.trigger('ONCRMDEALADD', { FIELDS: { ID: '6' } }, { userId: 1 });
    await until(() => fx.hook.received.length > start, 'the delivery to reach the handler (it answers a second later)');
    listener.child.kill('SIGINT');
    const { code } = await listener.done;
    assert.equal(code, 130, listener.stderr());
    assert.match(listener.stdout(), /^\d\d:\d\d:\d\d {2}ONCRMDEALADD {2}6 {2}→ {2}200 {2}\d+ ms$/m, 'the delivery in hand was finished');
    assert.deepEqual(queueRows(fx.portal), [], 'and confirmed: nothing waits in the persisted queue');
    assert.deepEqual(offlineBindings(fx.portal), [['ONCRMDEALADD', 'b24-events-listen.persist.inhand']]);
    const next = spawnListen(fx.portal, args);
    await ready(next);
    await new Promise((resolve) => setTimeout(resolve, 500));
    next.child.kill('SIGINT');
    assert.equal((await next.done).code, 130);
    assert.equal(fx.hook.received.length, start + 1, 'the next run of the listener delivers nothing again');
  });

  it('after SIGKILL: `handlers` marks the leftovers, `listen --cleanup` removes them (queue included), the next listen too', async () => {
    const killed = spawnListen(fx.portal, ['--events', 'ONCRMDEALADD', '--forward-to', fx.hook.url]);
    await ready(killed);
    killed.child.kill('SIGKILL');
    await killed.done;
    fx.portal.sandbox.trigger('ONCRMDEALADD', { FIELDS: { ID: '2' } }, { userId: 1 });
    const [[, connector] = ['', '']] = offlineBindings(fx.portal);
    assert.match(connector, new RegExp(`^b24-events-listen\\.${killed.child.pid}\\.`));
    const table = await fx.portal.cli(['handlers'], { tty: { stdoutIsTTY: true, columns: 200 } });
    assert.match(table.stdout, new RegExp(`ONCRMDEALADD\\s+offline\\s+${connector.replace(/\./g, '\\.')} \\(listener pid ${killed.child.pid} on \\S+\\)`));
    const piped = await fx.portal.cli(['handlers']);
    assert.match(piped.stdout, new RegExp(`^ONCRMDEALADD\toffline\t\t\t${connector.replace(/\./g, '\\.')}$`, 'm'), 'piped: the connector id alone');

    const cleanup = await fx.portal.cli(['listen', '--cleanup']);
    assert.equal(cleanup.code, 0, cleanup.stderr);
    assert.match(
      cleanup.stderr,
      new RegExp(`^✓ listener pid ${killed.child.pid} on \\S+: 1 binding removed \\(ONCRMDEALADD\\); 1 queued event discarded$`, 'm'),
    );
    assert.deepEqual(offlineBindings(fx.portal), []);
    assert.deepEqual(queueRows(fx.portal), []);
    const again = await fx.portal.cli(['listen', '--cleanup', '--json']);
    assert.deepEqual(JSON.parse(again.stdout), { removed: [], left: [] });

    const second = spawnListen(fx.portal, ['--events', 'ONCRMDEALADD', '--forward-to', fx.hook.url]);
    await ready(second);
    second.child.kill('SIGKILL');
    await second.done;
    const next = listen(fx.portal, ['--events', 'ONCRMDEALUPDATE', '--forward-to', fx.hook.url]);
    await ready(next);
    assert.match(
      next.stderr(),
      new RegExp(
        `^Removed the leftovers of a listener that did not stop cleanly: listener pid ${second.child.pid} on \\S+: 1 binding removed \\(ONCRMDEALADD\\)$`,
        'm',
      ),
    );
    assert.deepEqual(
      offlineBindings(fx.portal).map(([event]) => event),
      ['ONCRMDEALUPDATE'],
    );
    assert.equal(await next.stop(), 130);
  });
});
