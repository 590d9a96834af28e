// `listen` against the sandbox with a real local handler process: what is bound (and checked first),
// what the handler receives, what is printed, and what is confirmed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import qs from 'qs';
import { assertNoSecrets, secretsOf, type ProfileFixture } from '../../helpers/portal.js';
import { listen, offlineBindings, polling, queueRows, ready, until, listenFixture } from './helpers.js';

const LINE = /^\d\d:\d\d:\d\d {2}ONCRMDEALADD {2}7405 {2}→ {2}200 {2}\d+ ms$/m;

describe('listen', () => {
  const fx = listenFixture({ scopes: ['crm', 'task'], profile: { scope: 'crm,task', userId: 1 } as Partial<ProfileFixture>, failPaths: ['/broken'] });

  it('checks names and patterns against `events` before anything is bound', async () => {
    for (const [events, message] of [
      ['ONCRMDEALADDD', /^error: ONCRMDEALADDD is not an event this application can bind — did you mean ONCRMDEALADD\?/],
      ['ONCRMDEAL*,ONUSERX*', /^error: no event this application can bind matches ONUSERX\*/],
      ['ONOFFLINEEVENT', /^error: ONOFFLINEEVENT cannot be listened to/],
    ] as const) {
      const result = await fx.portal.cli(['listen', '--events', events]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
    }
    assert.deepEqual(offlineBindings(fx.portal), [], 'nothing was bound');
  });

  it('--forward-to: a real online delivery with the profile’s current token, a line per event; Ctrl-C unbinds', async () => {
    const listener = listen(fx.portal, ['--events', 'ONCRMDEAL*', '--forward-to', `127.0.0.1:${fx.hook.port}/b24`]);
    await ready(listener);
    const bound = offlineBindings(fx.portal);
    assert.ok(bound.length > 3 && bound.every(([event, connector]) => event.startsWith('ONCRMDEAL') && /^b24-events-listen\.\d+\.\w+\./.test(connector)));
    assert.equal(new Set(bound.map(([, connector]) => connector)).size, 1, 'one connector of its own');
    const before = fx.hook.received.length;
    fx.portal.sandbox.trigger('ONCRMDEALADD', { FIELDS: { ID: '7405' } }, { userId: 1 });
    await until(() => LINE.test(listener.stdout()), 'the delivery line');
    const sent = qs.parse(fx.hook.received[before]?.body ?? '') as Record<string, any>;
    assert.equal(fx.hook.received[before]?.path, '/b24');
    assert.deepEqual(Object.keys(sent), ['event', 'event_handler_id', 'data', 'ts', 'auth']);
    assert.deepEqual(sent.data, { FIELDS: { ID: '7405' } });
    assert.equal(sent.auth.access_token, fx.portal.readConfig().profiles.admin?.accessToken, 'the profile’s current access token');
    assert.equal(sent.auth.refresh_token, undefined, 'never the refresh token');
    assert.equal(sent.auth.application_token, fx.portal.app.applicationToken);
    assert.deepEqual([sent.auth.scope, sent.auth.user_id, sent.auth.status], ['crm,task', '1', 'L']);
    const code = await listener.stop();
    assert.equal(code, 130);
    assert.match(listener.stderr(), /^Stopped listener pid \d+ on \S+: \d+ bindings removed \(ONCRMDEALADD, /m);
    assert.deepEqual(offlineBindings(fx.portal), []);
    assert.deepEqual(queueRows(fx.portal), [], 'confirmed after the 2xx; nothing left in its queue');
    assertNoSecrets({ code, signal: null, stdout: listener.stdout(), stderr: listener.stderr() }, secretsOf(fx.portal));
  });

  it('--json: an NDJSON record per delivery; a failing handler’s event is flagged, not confirmed, and its body shown', async () => {
    const listener = listen(fx.portal, ['--events', 'ONCRMDEALUPDATE', '--forward-to', `${fx.hook.url}/broken`, '--json']);
    await ready(listener);
    fx.portal.sandbox.trigger('ONCRMDEALUPDATE', { FIELDS: { ID: '9' } }, { userId: 1 });
    await until(() => listener.stdout().includes('\n'), 'the record');
    const record = JSON.parse(listener.stdout().split('\n')[0] ?? '') as Record<string, unknown>;
    assert.deepEqual(
      { ...record, time: typeof record.time, ms: typeof record.ms, id: typeof record.id },
      {
        time: 'string',
        event: 'ONCRMDEALUPDATE',
        entity_id: '9',
        id: 'string',
        message_id: record.message_id,
        url: `${fx.hook.url}/broken`,
        ok: false,
        status: 500,
        ms: 'number',
        attempts: 1,
        body: 'Internal error: no such deal',
        error: 'the handler answered HTTP 500',
      },
    );
    await until(() => queueRows(fx.portal).some((row) => row.ERROR === 1), 'the failure to be flagged');
    const [row] = queueRows(fx.portal);
    assert.deepEqual([row?.EVENT_NAME, row?.ERROR, row?.PROCESS_ID], ['ONCRMDEALUPDATE', 1, ''], 'flagged, not deleted');
    assert.equal(await listener.stop(), 130);
    assert.deepEqual(queueRows(fx.portal), [], 'the ended listener’s queue is emptied');
  });

  it('a failing handler’s line: its status and the first line of its body', async (t) => {
    const listener = listen(fx.portal, ['--events', 'ONCRMDEALDELETE', '--forward-to', `${fx.hook.url}/broken`]);
    t.after(() => listener.stop());
    await ready(listener);
    fx.portal.sandbox.trigger('ONCRMDEALDELETE', { FIELDS: { ID: '21' } }, { userId: 1 });
    await until(() => listener.stdout().includes('ONCRMDEALDELETE  21'), 'the line');
    assert.match(listener.stdout(), /^\d\d:\d\d:\d\d {2}ONCRMDEALDELETE {2}21 {2}→ {2}500 {2}\d+ ms {2}Internal error: no such deal$/m);
    assert.doesNotMatch(listener.stdout(), /handler\.js/, 'the first line only');
    assert.equal(await listener.stop(), 130);
  });

  it('without a target: one JSON line per event on stdout (event, data, ts, ids; no token)', async () => {
    const listener = listen(fx.portal, ['--events', 'ONTASKUPDATE']);
    await ready(listener);
    assert.match(listener.stderr(), /Listening for ONTASKUPDATE \(queue b24-events-listen\.[^)]+\): one JSON line per event on stdout; Ctrl-C to stop/);
    fx.portal.sandbox.trigger('ONTASKUPDATE', { FIELDS_AFTER: { ID: '5' } }, { userId: 1 });
    await until(() => listener.stdout().includes('\n'), 'the line');
    const line = JSON.parse(listener.stdout()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(line), ['event', 'data', 'ts', 'id', 'message_id']);
    assert.deepEqual([line.event, line.data], ['ONTASKUPDATE', { FIELDS_AFTER: { ID: '5' } }]);
    assert.ok(Math.abs(Number(line.ts) - Date.now() / 1000) < 60);
    assert.equal(await listener.stop(), 130);
    assertNoSecrets({ code: 0, signal: null, stdout: listener.stdout(), stderr: listener.stderr() }, secretsOf(fx.portal));
  });

  it('--no-auth-tokens sends the outgoing-webhook shape; a target without a scheme is http://', async () => {
    const listener = listen(fx.portal, ['--events', 'ONCRMLEADADD', '--forward-to', `localhost:${fx.hook.port}/lead`, '--no-auth-tokens']);
    await ready(listener);
    const before = fx.hook.received.length;
    fx.portal.sandbox.trigger('ONCRMLEADADD', { FIELDS: { ID: '1' } }, { userId: 1 });
    await until(() => fx.hook.received.length > before, 'the delivery');
    const sent = qs.parse(fx.hook.received[before]?.body ?? '') as Record<string, any>;
    assert.deepEqual(Object.keys(sent.auth), ['domain', 'client_endpoint', 'server_endpoint', 'member_id', 'application_token']);
    assert.equal(await listener.stop(), 130);
  });

  it('on a terminal: coloured lines, and the listening / reconnecting… state on the status line', async () => {
    const listener = listen(fx.portal, ['--events', 'ONCRMCOMPANYADD', '--forward-to', fx.hook.url], {
      env: { NO_COLOR: '', FORCE_COLOR: '1' },
      tty: { stdoutIsTTY: true, stderrIsTTY: true },
    });
    await ready(listener);
    await until(() => listener.stderr().includes('listening for 1 event · 0 delivered · 0 failed · Ctrl-C to stop'), 'the status line');
    fx.portal.sandbox.trigger('ONCRMCOMPANYADD', { FIELDS: { ID: '12' } }, { userId: 1 });
    await until(() => listener.stdout().includes('12'), 'the line');
    assert.match(listener.stdout(), /\x1b\[1mONCRMCOMPANYADD\x1b\[22m {2}12 {2}→ {2}\x1b\[32m200\x1b\[39m/, 'the event in bold, the status in green');
    await until(() => listener.stderr().includes('listening for 1 event · 1 delivered'), 'the count');
    fx.portal.sandbox.injectFault({ kind: 'html', status: 503, times: 1 });
    await until(() => /\r\x1b\[K\x1b\[2mreconnecting… \(.*HTTP 503/.test(listener.stderr()), 'the reconnecting state');
    assert.equal(await listener.stop(), 130);
  });

  it('polls at its planned interval, not as fast as the portal answers', async () => {
    const listener = listen(fx.portal, ['--events', 'ONCRMCONTACTADD'], { env: { B24_LISTEN_POLL_MS: '250' } });
    await ready(listener);
    await polling(fx.portal);
    const from = fx.portal.sandbox.requestLog().length;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const polls = fx.portal.sandbox.requestLog().length - from;
    assert.equal(await listener.stop(), 130);
    // no event seen yet: the idle interval, twice the fast one (250 ms: 12 requests; unpaced: hundreds)
    assert.ok(polls >= 5 && polls <= 7, `${polls} requests in 3 s at one per 500 ms`);
  });

  it('flag rules are usage errors before any request', async () => {
    const requests = fx.portal.sandbox.requestLog().length;
    for (const [args, message] of [
      [['listen'], /no events to listen to/],
      [['listen', '-f', 'x.json'], /-f needs --rewrite FROM=TO/],
      [['listen', '--events', 'ONCRMDEALADD', '--rewrite', 'a=b'], /--rewrite applies to -f MANIFEST/],
      [['listen', '--events', 'ONCRMDEALADD', '--no-auth-tokens'], /--no-auth-tokens shapes a delivery/],
      [['listen', '--events', 'ONCRMDEALADD', '--persist', 'a', '--shared-queue'], /cannot be combined with --shared-queue/],
      [['listen', '--events', 'ONCRMDEALADD', '--forward-to', 'ftp://x'], /--forward-to must be an http\(s\) URL/],
      [['listen', '--events', 'ONCRMDEALADD', '--give-up-after', 'soon'], /--give-up-after: takes a duration/],
      [['listen', '--cleanup', '--events', 'ONCRMDEALADD'], /--cleanup ends listeners/],
    ] as [string[], RegExp][]) {
      const result = await fx.portal.cli(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
    assert.equal(fx.portal.sandbox.requestLog().length, requests);
  });
});
