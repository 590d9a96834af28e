// Every documented delivery example (test/fixtures/deliveries, one per event doc page) against the
// sandbox's own online delivery of that event: the same top-level keys in order, the same `data`
// fields and values as PHP's form encoding sends them (name for name, in order), and the same `auth`
// keys; where the docs and a real delivery disagree, the sandbox follows the real one and the
// difference is spelled out below (src/sandbox/README.md lists them).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, type Json } from '../sandbox/helpers.js';
import { receiver, waitFor } from '../sandbox/receiver.js';
import { capturedDelivery, fixture, fixtureFolder } from './fixtures.js';

// An outgoing webhook has no app to bind: delivery.test.ts compares it with `offline drain --forward-to`.
const OUTGOING = 'deliveries/ONCRMDEALADD__events-index-outgoing-webhook.json';
const REFRESH_EVENTS = new Set(['ONAPPINSTALL', 'ONOFFLINEEVENT']);
const AUTH_VALUES: Record<string, RegExp> = {
  access_token: /^[0-9a-f]{70}$/,
  refresh_token: /^[0-9a-f]{70}$/,
  expires: /^\d{10}$/,
  expires_in: /^3600$/,
  scope: /^[a-z_]+(,[a-z_]+)*$/,
  domain: /^127\.0\.0\.1:\d+$/,
  server_endpoint: /^http:\/\/127\.0\.0\.1:\d+\/rest\/$/,
  client_endpoint: /^http:\/\/127\.0\.0\.1:\d+\/rest\/$/,
  status: /^L$/,
  member_id: /^[0-9a-f]{32}$/,
  user_id: /^1$/,
  application_token: /^[0-9a-f]{32}$/,
};

/** [name, value] pairs as PHP's http_build_query writes a value: booleans 1/0, nulls and empty arrays left out. */
function formPairs(value: Json, name: string): [string, string][] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => formPairs(item, name ? `${name}[${key}]` : key));
  return [[name, typeof value === 'boolean' ? (value ? '1' : '0') : String(value)]];
}

const topLevel = (pairs: [string, string][]): string[] => [...new Set(pairs.map(([name]) => name.replace(/\[.*$/, '')))];
const under = (pairs: [string, string][], key: string): [string, string][] => pairs.filter(([name]) => name.startsWith(`${key}[`));
const authKeys = (pairs: [string, string][]): string[] => under(pairs, 'auth').map(([name]) => name.slice(5, -1));

/**
 * The `auth` keys the sandbox sends for a documented block. Differences from the docs, each after a
 * real delivery or the server's code: `expires` and `user_id` (the captured delivery carries both;
 * the pages omit them); `refresh_token` only for ONAPPINSTALL and ONOFFLINEEVENT (events/index.md,
 * ref §8.2; most pages copy the install block); ONAPPPAYMENT carries the app's tokens like any event
 * not declared without auth (ref §8.2) where its page shows a tokenless block without application_token.
 */
function expectedAuth(event: string, documentedKeys: string[]): string[] {
  const keys = new Set(documentedKeys);
  if (event === 'ONAPPPAYMENT') ['access_token', 'expires_in', 'scope', 'status', 'application_token'].forEach((key) => keys.add(key));
  if (keys.has('access_token')) ['expires', 'user_id'].forEach((key) => keys.add(key));
  if (!REFRESH_EVENTS.has(event)) keys.delete('refresh_token');
  return [...keys].sort();
}

/** The order a real portal writes `auth` in (the captured delivery; tokenless: events/index.md). */
function wireOrder(keys: string[]): string[] {
  const tokenless = Object.keys(fixture(OUTGOING).example.auth);
  const order = keys.includes('access_token') ? [...capturedDelivery().key_order_auth] : tokenless;
  order.splice(order.indexOf('application_token'), 0, 'refresh_token');
  return order.filter((key) => keys.includes(key));
}

describe('conformance: every documented delivery against the sandbox’s own', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox({ rateLimit: false });
  });
  after(() => sandbox.close());

  /** Binds `event` online for a fresh app, makes the sandbox send it, and returns the body's pairs in order. */
  async function delivered(event: string, data: Json): Promise<[string, string][]> {
    const app = sandbox.createApp({ scopes: ['crm', 'task', 'user', 'calendar'] });
    const rest = (method: string, params: Json): Promise<Json> =>
      call(`${sandbox.url}/rest/`, method, { auth: sandbox.issueTokens(app.clientId, 1).access_token, ...params });
    const hook = await receiver();
    try {
      assert.equal((await rest('event.bind', { event, handler: hook.url })).status, 200);
      if (event === 'ONAPPTEST') await rest('event.test', data.QUERY);
      else if (event === 'ONOFFLINEEVENT') {
        await rest('event.bind', { event: 'ONCRMLEADADD', event_type: 'offline' });
        sandbox.trigger('ONCRMLEADADD', { FIELDS: { ID: '1' } }, { userId: 1 });
      } else sandbox.trigger(event, data, { userId: 1 });
      await waitFor(() => hook.bodies.length > 0);
      assert.equal((await rest('event.unbind', { event, handler: hook.url })).body.result?.count, 1);
      return [...new URLSearchParams(hook.bodies[0])];
    } finally {
      await hook.close();
    }
  }

  const files = fixtureFolder('deliveries/');
  it('the folder holds the documented deliveries', () => assert.ok(files.includes(OUTGOING.slice(11)) && files.length > 30));

  for (const file of files.filter((name) => `deliveries/${name}` !== OUTGOING)) {
    it(file, async () => {
      const { example, source } = fixture(`deliveries/${file}`);
      const event = (example.event as string).toUpperCase(); // a few pages print it in camel case
      const pairs = await delivered(event, example.data);
      const docPairs = formPairs(example, '');
      const docTop = topLevel(docPairs);
      // event_handler_id: the captured delivery and events/index.md carry it; many pages leave it out
      if (!docTop.includes('event_handler_id')) docTop.splice(1, 0, 'event_handler_id');
      assert.deepEqual(topLevel(pairs), docTop, `${source.path}: top-level keys in order`);
      assert.deepEqual(pairs[0], ['event', event]);
      assert.match(new Map(pairs).get('ts') ?? '', /^\d{10}$/);
      assert.deepEqual(under(pairs, 'data'), under(docPairs, 'data'), `${source.path}: data, name for name and value for value`);
      const auth = authKeys(pairs);
      if (typeof example.auth !== 'string') {
        assert.deepEqual([...auth].sort(), expectedAuth(event, Object.keys(example.auth)), `${source.path}: auth keys`);
      }
      assert.deepEqual(auth, wireOrder(auth), 'auth in a real delivery’s order');
      for (const [name, value] of under(pairs, 'auth')) assert.match(value, AUTH_VALUES[name.slice(5, -1)] ?? /^$/, name);
    });
  }
});
