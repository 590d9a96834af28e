// planChanges: the manifest against `event.get` rows, with the comparison rules the README states.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HandlerRecord } from '../../src/api/events.js';
import { inSync, planChanges } from '../../src/manifest/diff.js';
import type { DesiredBinding } from '../../src/manifest/validate.js';

const online = (event: string, handler: string, authType?: number, index = 0): DesiredBinding => ({
  index,
  event,
  handler,
  offline: false,
  ...(authType === undefined ? {} : { authType }),
});
const offline = (event: string, connector?: string, index = 0): DesiredBinding => ({ index, event, offline: true, ...(connector ? { connector } : {}) });
const row = (event: string, handler: string, authType: string | number = '0'): HandlerRecord => ({ event, handler, auth_type: authType, offline: 0 });
const queueRow = (event: string, connector = ''): HandlerRecord => ({ event, connector_id: connector, offline: 1 });
const URL = 'https://hooks.example.com/b24';

test('an empty portal: everything is added; a second plan of the same portal is in sync', () => {
  const desired = [online('ONCRMDEALADD', URL), offline('ONCRMDEALUPDATE')];
  const first = planChanges(desired, [], false);
  assert.deepEqual(first.add, desired);
  assert.equal(inSync(first), false);
  const second = planChanges(desired, [row('ONCRMDEALADD', URL), queueRow('ONCRMDEALUPDATE')], false);
  assert.equal(inSync(second), true);
  assert.equal(second.unchanged, 2);
  assert.equal(second.keep.length, 2);
});

test('event names compare case-insensitively, handler URLs exactly (a trailing slash is another handler)', () => {
  const plan = planChanges([online('ONCRMDEALADD', URL)], [row('onCrmDealAdd', `${URL}/`)], true);
  assert.deepEqual(
    plan.add.map((b) => b.handler),
    [URL],
  );
  assert.deepEqual(plan.remove, [{ event: 'ONCRMDEALADD', handler: `${URL}/`, offline: false, authType: 0 }]);
  assert.equal(inSync(planChanges([online('oncrmdealadd', URL)], [row('ONCRMDEALADD', URL)], true)), true);
});

test('auth_type compares by value; an entry without auth_type covers every user of that URL', () => {
  assert.equal(inSync(planChanges([online('ONTASKADD', URL, 1)], [row('ONTASKADD', URL, '1')], true)), true);
  assert.equal(planChanges([online('ONTASKADD', URL, 2)], [row('ONTASKADD', URL, 1)], true).add.length, 1);
  const anyUser = planChanges([online('ONTASKADD', URL)], [row('ONTASKADD', URL, '3'), row('ONTASKADD', URL, '4')], true);
  assert.equal(inSync(anyUser), true);
  assert.equal(anyUser.keep.length, 2);
});

test('offline subscriptions compare by event and connector', () => {
  const plan = planChanges([offline('ONCRMLEADADD', 'erp')], [queueRow('ONCRMLEADADD'), queueRow('ONCRMLEADADD', 'erp')], true);
  assert.deepEqual(plan.add, []);
  assert.deepEqual(plan.remove, [{ event: 'ONCRMLEADADD', offline: true }]);
});

test('without --prune the extras are only reported as unmanaged', () => {
  const plan = planChanges([], [row('ONCRMDEALADD', URL)], false);
  assert.deepEqual(plan.remove, []);
  assert.equal(plan.unmanaged.length, 1);
  assert.equal(inSync(plan), true);
});

test("a non-administrator's auth_type 0 is compared as their own id (what the portal stores)", () => {
  const caller = { admin: false, id: 7 };
  assert.equal(inSync(planChanges([online('ONTASKADD', URL, 0)], [row('ONTASKADD', URL, '7')], true, caller)), true);
  assert.equal(inSync(planChanges([online('ONTASKADD', URL, 0)], [row('ONTASKADD', URL, '7')], true, { admin: true, id: 1 })), false);
});
