import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import qs from 'qs';
import { parseJson } from '../../helpers/cli.js';
import { setupPortal, type TestPortal } from '../../helpers/portal.js';
import { receiver, waitFor, type Receiver } from '../../sandbox/receiver.js';

const HEX70 = /^[0-9a-f]{70}$/;
const parse = (body: string) => qs.parse(body, { depth: 10 }) as Record<string, any>;

/** A handler that verifies auth[application_token] the way a careful one does. */
async function checkingHandler(token: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const ok = new URLSearchParams(body).get('auth[application_token]') === token();
      res.writeHead(ok ? 200 : 401).end(ok ? 'ok' : 'forged token\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/b24`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('trigger', () => {
  let portal: TestPortal;
  let hook: Receiver;
  before(async () => {
    portal = await setupPortal({ scopes: ['crm', 'task'] });
    portal.writeProfile('admin', { scope: 'crm,task' } as never);
    hook = await receiver();
  });
  after(async () => {
    await hook.close();
    await portal.close();
  });

  it('--to: one delivery in the portal’s own shape and key order, with the profile’s identity and --data on top', async () => {
    const result = await portal.cli(['trigger', 'ONCRMDEALADD', '--to', hook.url.replace('http://', ''), '--data', 'FIELDS.ID=7405']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^✓ ONCRMDEALADD → http:\/\/127\.0\.0\.1:\d+\/hook: HTTP 200 in \d+ ms$/m);
    const sent = parse(hook.bodies.at(-1) ?? '');
    assert.deepEqual(sent.data, { FIELDS: { ID: '7405' } });
    assert.equal(sent.auth.application_token, portal.app.applicationToken);
    assert.equal(sent.auth.domain, new URL(portal.sandbox.url).host);
    assert.match(sent.auth.access_token, HEX70, 'a demo token of the real shape, not the profile’s');
    assert.notEqual(sent.auth.access_token, portal.readConfig().profiles.admin?.accessToken);
    // the sandbox's own delivery of the same event: the same keys in the same order
    assert.equal((await portal.cli(['bind', 'ONCRMDEALADD', hook.url])).code, 0);
    portal.sandbox.trigger('ONCRMDEALADD', { FIELDS: { ID: '1' } }, { userId: 1 });
    await waitFor(() => hook.bodies.length === 2);
    const real = parse(hook.bodies[1] ?? '');
    assert.deepEqual(Object.keys(sent), Object.keys(real));
    assert.deepEqual(Object.keys(sent.auth), Object.keys(real.auth));
  });

  it('--with-auth carries the profile’s current access token; --as-webhook none at all', async () => {
    assert.equal((await portal.cli(['trigger', 'ONTASKADD', '--to', hook.url, '--with-auth'])).code, 0);
    assert.equal(parse(hook.bodies.at(-1) ?? '').auth.access_token, portal.readConfig().profiles.admin?.accessToken);
    assert.equal((await portal.cli(['trigger', 'ONTASKADD', '--to', hook.url, '--as-webhook'])).code, 0);
    const webhook = parse(hook.bodies.at(-1) ?? '');
    assert.deepEqual(Object.keys(webhook.auth), ['domain', 'client_endpoint', 'server_endpoint', 'member_id', 'application_token']);
    assert.equal(webhook.data.FIELDS_BEFORE, 'undefined', 'the documented ONTASKADD data');
  });

  it('--forged-token: exit 0 when the handler refuses it, exit 1 when it accepts it', async () => {
    const careful = await checkingHandler(() => portal.app.applicationToken);
    try {
      const refused = await portal.cli(['trigger', 'ONCRMLEADADD', '--to', careful.url, '--forged-token']);
      assert.equal(refused.code, 0, refused.stderr);
      assert.match(refused.stderr, /The handler refused the forged application_token \(HTTP 401/);
      assert.equal((await portal.cli(['trigger', 'ONCRMLEADADD', '--to', careful.url])).code, 0, 'the real token is accepted');
    } finally {
      await careful.close();
    }
    const careless = await portal.cli(['trigger', 'ONCRMLEADADD', '--to', hook.url, '--forged-token']);
    assert.equal(careless.code, 1);
    assert.match(careless.stderr, /^error: the handler accepted a delivery with a forged application_token \(HTTP 200/);
  });

  it('without any profile: realistic demo values; a failing or absent handler is exit 1', async () => {
    const bare = await setupPortal();
    try {
      assert.equal((await bare.cli(['trigger', 'ONAPPINSTALL', '--to', hook.url])).code, 0);
      const sent = parse(hook.bodies.at(-1) ?? '');
      assert.equal(sent.auth.domain, 'example.bitrix24.com');
      assert.match(sent.auth.refresh_token, HEX70, 'ONAPPINSTALL carries a refresh token');
      assert.match(sent.auth.application_token, /^[0-9a-f]{32}$/);
      const down = await bare.cli(['trigger', 'ONAPPINSTALL', '--to', 'http://127.0.0.1:9/x']);
      assert.equal(down.code, 1);
      assert.match(down.stderr, /^error: cannot reach the handler at http:\/\/127\.0\.0\.1:9\/x \(ECONNREFUSED\)/);
    } finally {
      await bare.close();
    }
  });

  it('on a sandbox the sandbox raises the event (queue and online handlers); ONAPPTEST is event.test', async () => {
    assert.equal((await portal.cli(['bind', 'ONCRMDEALUPDATE', '--offline'])).code, 0);
    const raised = await portal.cli(['trigger', 'ONCRMDEALUPDATE', '--data', 'FIELDS.ID=7', '--json']);
    assert.equal(raised.code, 0, raised.stderr);
    assert.deepEqual(parseJson<{ queued: number; posted: number }>(raised), { event: 'ONCRMDEALUPDATE', portal: portal.sandbox.url, queued: 1, posted: 0 });
    assert.deepEqual((portal.sandbox.queue(portal.app.clientId) as { EVENT_DATA: unknown }[]).at(-1)?.EVENT_DATA, { FIELDS: { ID: '7' } });
    assert.equal((await portal.cli(['bind', 'ONAPPTEST', hook.url])).code, 0);
    const before = hook.bodies.length;
    const test = await portal.cli(['trigger', 'ONAPPTEST']);
    assert.equal(test.code, 0, test.stderr);
    await waitFor(() => hook.bodies.length > before);
    assert.equal(parse(hook.bodies.at(-1) ?? '').event, 'ONAPPTEST');
    assert.ok(portal.sandbox.requestLog().some((entry) => entry.method === 'event.test'));
  });

  it('--list shows the shipped events with their docs pages; mistakes are usage errors', async () => {
    const list = parseJson<{ event: string; doc: string }[]>(await portal.cli(['trigger', '--list', '--json']));
    assert.ok(list.some((row) => row.event === 'ONCRMDEALADD' && row.doc === 'api-reference/crm/deals/events/on-crm-deal-add.md'));
    for (const [args, message] of [
      [['trigger'], /missing event/],
      [['trigger', 'ONCRMDEALADD', '--to', hook.url, '--data', 'FIELDS.ID'], /--data takes PATH=VALUE/],
      [['trigger', 'ONCRMDEALADD', '--forged-token'], /go with --to URL/],
      [['trigger', 'ONCRMDEALADD', '--to', 'ftp://x.example.com'], /--to must be an http\(s\) URL/],
    ] as [string[], RegExp][]) {
      const result = await portal.cli(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
  });
});
