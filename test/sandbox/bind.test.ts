import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { callForm, errorOf, setup } from './helpers.js';

const HANDLER = 'https://hooks.example.com/b24';

describe('sandbox event.bind', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    ctx = await setup();
  });
  afterEach(() => ctx.sandbox.close());

  const cases: [string, Record<string, unknown>, 'admin' | 'user', [number, string, string]][] = [
    [
      'foreign auth_type by a non-admin (checked before EVENT)',
      { auth_type: 1 },
      'user',
      [403, 'ACCESS_DENIED', 'Access denied! Event binding with AUTH_TYPE requires administrator access rights'],
    ],
    ['missing event', {}, 'admin', [400, 'ERROR_ARGUMENT', "Argument 'EVENT' is null or empty"]],
    ['missing event (checked before event_type)', { event_type: 'push' }, 'admin', [400, 'ERROR_ARGUMENT', "Argument 'EVENT' is null or empty"]],
    [
      'bad event_type (checked before handler)',
      { event: 'ONCRMDEALADD', event_type: 'push' },
      'admin',
      [400, 'ERROR_ARGUMENT', 'Value must be one of {online|offline}'],
    ],
    [
      'offline by a non-admin',
      { event: 'ONCRMDEALADD', event_type: 'offline' },
      'user',
      [403, 'ACCESS_DENIED', 'Access denied! Offline events binding requires administrator access rights'],
    ],
    ['online without handler', { event: 'ONCRMDEALADD' }, 'admin', [400, 'ERROR_ARGUMENT', "Argument 'HANDLER' is null or empty"]],
    ['host without a dot', { event: 'ONCRMDEALADD', handler: 'http://localhost:8080/h' }, 'admin', [400, 'ERROR_WRONG_HANDLER_URL', 'Wrong handler URL']],
    [
      'no host at all (checked before the scheme)',
      { event: 'ONCRMDEALADD', handler: 'ftp:/x' },
      'admin',
      [400, 'ERROR_WRONG_HANDLER_URL', 'Wrong handler URL'],
    ],
    [
      'non-http scheme',
      { event: 'ONCRMDEALADD', handler: 'ftp://files.example.com/h' },
      'admin',
      [400, 'ERROR_UNSUPPORTED_PROTOCOL', 'Unsupported handler protocol'],
    ],
    [
      'a bad URL before an unknown event',
      { event: 'ONCRMDEALADDD', handler: 'http://localhost/h' },
      'admin',
      [400, 'ERROR_WRONG_HANDLER_URL', 'Wrong handler URL'],
    ],
    ['misspelt event (checked after the URL)', { event: 'ONCRMDEALADDD', handler: HANDLER }, 'admin', [400, 'ERROR_EVENT_NOT_FOUND', 'Event not found']],
    ['event outside the token scopes', { event: 'ONCALENDARENTRYADD', handler: HANDLER }, 'admin', [400, 'ERROR_EVENT_NOT_FOUND', 'Event not found']],
    [
      'offline ONOFFLINEEVENT',
      { event: 'ONOFFLINEEVENT', event_type: 'offline' },
      'admin',
      [400, 'ERROR_ARGUMENT', 'Offline event cannot be registered for this event.'],
    ],
  ];
  for (const [name, params, who, expected] of cases) {
    it(`refuses ${name}`, async () => {
      const reply = await ctx[who]('event.bind', params);
      assert.deepEqual(errorOf(reply), expected);
      assert.equal(reply.body.time, undefined);
      assert.deepEqual(ctx.sandbox.handlers(), []);
    });
  }

  it('names the argument of ERROR_ARGUMENT errors', async () => {
    assert.equal((await ctx.admin('event.bind', {})).body.argument, 'EVENT');
    assert.equal((await ctx.admin('event.bind', { event: 'X', event_type: 'x' })).body.argument, 'EVENT_TYPE');
  });

  it('stores online binds case-insensitively with the caller as user for non-admins', async () => {
    assert.equal((await ctx.user('event.bind', { EVENT: 'onCrmDealAdd', Handler: HANDLER })).body.result, true);
    assert.equal((await ctx.user('event.bind', { event: 'ONCRMDEALUPDATE', handler: HANDLER, auth_type: 2 })).body.result, true);
    assert.equal((await ctx.admin('event.bind', { event: 'ONCRMDEALADD', handler: HANDLER, event_type: 'ONLINE' })).body.result, true);
    const rows = ctx.sandbox.handlers(ctx.app.clientId) as { EVENT_NAME: string; USER_ID: number; APPLICATION_TOKEN: string }[];
    assert.deepEqual(
      rows.map((h) => [h.EVENT_NAME, h.USER_ID]),
      [
        ['ONCRMDEALADD', 2],
        ['ONCRMDEALUPDATE', 2],
        ['ONCRMDEALADD', 0],
      ],
    );
    assert.equal(rows[0]?.APPLICATION_TOKEN, ctx.app.applicationToken);
  });

  it('refuses exact duplicates but keeps the same URL for another auth_type', async () => {
    const bind = { event: 'ONCRMLEADADD', handler: HANDLER };
    assert.equal((await ctx.admin('event.bind', bind)).status, 200);
    assert.deepEqual(errorOf(await ctx.admin('event.bind', bind)), [400, 'ERROR_CORE', 'Unable to set event handler: Handler already binded']);
    assert.equal((await ctx.admin('event.bind', { ...bind, auth_type: 2 })).status, 200);
    const offline = { event: 'ONCRMLEADADD', event_type: 'offline' };
    assert.equal((await ctx.admin('event.bind', offline)).status, 200);
    assert.equal((await ctx.admin('event.bind', offline)).body.error, 'ERROR_CORE');
    assert.equal((await ctx.admin('event.bind', { ...offline, auth_connector: 'sync' })).status, 200);
    assert.equal(ctx.sandbox.handlers().length, 4);
  });

  it('keeps only minTimeout on ONOFFLINEEVENT and ignores handler/auth_type offline', async () => {
    await ctx.admin('event.bind', { event: 'ONOFFLINEEVENT', handler: HANDLER, options: { minTimeout: 30, other: 1 } });
    await ctx.admin('event.bind', { event: 'ONCRMDEALADD', handler: HANDLER, options: { minTimeout: 30 } });
    await ctx.admin('event.bind', { event: 'ONTASKADD', event_type: 'offline', handler: HANDLER, auth_type: 2 });
    const rows = ctx.sandbox.handlers() as { OPTIONS: unknown; EVENT_HANDLER: string; USER_ID: number }[];
    assert.deepEqual(
      rows.map((h) => h.OPTIONS),
      [{ minTimeout: 30 }, {}, {}],
    );
    assert.deepEqual([rows[2]?.EVENT_HANDLER, rows[2]?.USER_ID], ['', 0]);
  });

  it('accepts form-encoded options in PHP bracket form', async () => {
    const tokens = ctx.sandbox.issueTokens(ctx.app.clientId, 1);
    const form = `auth=${tokens.access_token}&event=ONOFFLINEEVENT&handler=${encodeURIComponent(HANDLER)}&options%5BminTimeout%5D=5`;
    assert.equal((await callForm(`${ctx.sandbox.url}/rest/`, 'event.bind', form)).body.result, true);
    assert.deepEqual((ctx.sandbox.handlers()[0] as { OPTIONS: unknown }).OPTIONS, { minTimeout: 5 });
  });
});

describe('sandbox event.unbind and event.get', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    ctx = await setup();
  });
  after(() => ctx.sandbox.close());

  beforeEach(async () => {
    for (const h of await ctx.admin('event.get').then((r) => r.body.result as { event: string; handler?: string }[])) {
      await ctx.admin('event.unbind', h.handler ? { event: h.event, handler: h.handler } : { event: h.event, event_type: 'offline' });
    }
    await ctx.admin('event.unbind', { event: 'ONCRMDEALADD', event_type: 'offline', auth_connector: 'sync' });
    await ctx.admin('event.bind', { event: 'ONCRMDEALADD', handler: HANDLER });
    await ctx.admin('event.bind', { event: 'ONCRMDEALADD', handler: HANDLER, auth_type: 2 });
    await ctx.user('event.bind', { event: 'ONCRMDEALADD', handler: `${HANDLER}/` });
    await ctx.admin('event.bind', { event: 'ONCRMDEALADD', event_type: 'offline' });
  });

  it('shows admins every handler of the app in ID order and non-admins only their own', async () => {
    assert.deepEqual((await ctx.admin('event.get')).body.result, [
      { event: 'ONCRMDEALADD', handler: HANDLER, auth_type: '0', offline: 0 },
      { event: 'ONCRMDEALADD', handler: HANDLER, auth_type: '2', offline: 0 },
      { event: 'ONCRMDEALADD', handler: `${HANDLER}/`, auth_type: '2', offline: 0 },
      { event: 'ONCRMDEALADD', connector_id: '', offline: 1 },
    ]);
    assert.deepEqual(
      (await ctx.user('event.get')).body.result.map((h: { handler: string }) => h.handler),
      [HANDLER, `${HANDLER}/`],
    );
    const other = ctx.sandbox.createApp({ scopes: ['crm'] });
    const tokens = ctx.sandbox.issueTokens(other.clientId, 1);
    const foreign = await callForm(`${ctx.sandbox.url}/rest/`, 'event.get', `auth=${tokens.access_token}`);
    assert.deepEqual(foreign.body.result, []);
  });

  it('matches the handler URL exactly and removes every user when an admin omits auth_type', async () => {
    assert.deepEqual((await ctx.admin('event.unbind', { event: 'ONCRMDEALADD', handler: `${HANDLER}//` })).body.result, { count: 0 });
    assert.deepEqual((await ctx.admin('event.unbind', { event: 'oncrmdealadd', handler: HANDLER })).body.result, { count: 2 });
    assert.deepEqual((await ctx.admin('event.unbind', { event: 'ONCRMDEALADD', handler: `${HANDLER}/`, auth_type: 0 })).body.result, { count: 0 });
    assert.deepEqual((await ctx.admin('event.unbind', { event: 'ONCRMDEALADD', handler: `${HANDLER}/`, auth_type: 2 })).body.result, { count: 1 });
  });

  it('lets a non-admin pass auth_type only as the JSON integer of their own id', async () => {
    const denied = [403, 'ACCESS_DENIED', 'Access denied! Event unbinding with AUTH_TYPE requires administrator access rights'];
    for (const authType of ['2', 0, 1]) {
      assert.deepEqual(errorOf(await ctx.user('event.unbind', { event: 'ONCRMDEALADD', handler: HANDLER, auth_type: authType })), denied);
    }
    assert.deepEqual((await ctx.user('event.unbind', { event: 'ONCRMDEALADD', handler: HANDLER, auth_type: 2 })).body.result, { count: 1 });
    assert.deepEqual((await ctx.user('event.unbind', { event: 'ONCRMDEALADD', handler: `${HANDLER}/` })).body.result, { count: 1 });
    assert.equal(ctx.sandbox.handlers().length, 2);
  });

  it('checks unbind arguments in order and keeps offline subscriptions admin-only', async () => {
    assert.deepEqual(errorOf(await ctx.user('event.unbind', {})), [400, 'ERROR_ARGUMENT', "Argument 'EVENT' is null or empty"]);
    assert.equal((await ctx.user('event.unbind', { event: 'X', event_type: 'both' })).body.error_description, 'Value must be one of {online|offline}');
    assert.deepEqual(errorOf(await ctx.user('event.unbind', { event: 'ONCRMDEALADD', event_type: 'offline' })), [
      403,
      'ACCESS_DENIED',
      'Access denied! Offline events unbinding requires administrator access rights',
    ]);
    assert.equal((await ctx.user('event.unbind', { event: 'ONCRMDEALADD' })).body.error_description, "Argument 'HANDLER' is null or empty");
    assert.deepEqual((await ctx.admin('event.unbind', { event: 'ONCRMDEALADD', event_type: 'offline', auth_connector: 'x' })).body.result, { count: 0 });
    assert.deepEqual((await ctx.admin('event.unbind', { event: 'ONCRMDEALADD', event_type: 'offline' })).body.result, { count: 1 });
  });
});

describe('sandbox events', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    ctx = await setup();
  });
  after(() => ctx.sandbox.close());

  it('lists token scopes plus global events by default, the global ones first (docs events.md order)', async () => {
    const names: string[] = (await ctx.user('events')).body.result;
    assert.ok(names.includes('ONCRMDEALADD') && names.includes('ONTASKADD') && names.includes('ONUSERADD'));
    assert.ok(!names.includes('ONCALENDARENTRYADD'));
    assert.deepEqual(names.slice(0, 8), [
      'ONAPPUNINSTALL',
      'ONAPPINSTALL',
      'ONAPPUPDATE',
      'ONAPPPAYMENT',
      'ONAPPTEST',
      'ONAPPMETHODCONFIRM',
      'ONOFFLINEEVENT',
      'ONUSERADD',
    ]);
  });

  it('honours SCOPE (even ungranted, empty = global, unknown = []) before FULL', async () => {
    const calendar: string[] = (await ctx.user('events', { SCOPE: 'calendar' })).body.result;
    assert.deepEqual(calendar, ['ONCALENDARENTRYADD', 'ONCALENDARENTRYUPDATE', 'ONCALENDARENTRYDELETE']);
    assert.equal((await ctx.user('events', { scope: '', full: true })).body.result.length, 7);
    assert.deepEqual((await ctx.user('events', { scope: 'nosuch' })).body.result, []);
    const full: string[] = (await ctx.user('events', { FULL: 1 })).body.result;
    assert.ok(full.includes('ONCALENDARENTRYADD') && full.includes('ONOFFLINEEVENT'));
  });
});
