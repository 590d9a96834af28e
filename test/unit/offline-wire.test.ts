import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProcessId, clearParams, errorParams, getParams } from '../../src/api/offline.js';
import { deliveryBody } from '../../src/offline/sinks/forward.js';

test('no offline call can carry an empty process id or an empty id list', () => {
  for (const bad of ['', '   ', '\t', null, undefined]) assert.throws(() => checkProcessId(bad), /empty process_id/);
  assert.throws(() => clearParams(' ', { wholeBatch: true }), /empty process_id/);
  assert.throws(() => clearParams('p'.repeat(32), { ids: [] }), /whole batch/);
  assert.throws(() => clearParams('p'.repeat(32), { messageIds: [] }), /whole batch/);
  assert.throws(() => errorParams('', ['a'.repeat(32)]), /empty process_id/);
  assert.throws(() => errorParams('p'.repeat(32), []), /at least one/);
  assert.throws(() => getParams({ limit: 10, clear: false, processId: ' ' }), /empty process_id/);
  assert.deepEqual(clearParams(' abc ', { ids: [1, 2] }), { process_id: 'abc', id: [1, 2] });
});

test('get always says clear explicitly; a re-read keeps clear=0', () => {
  assert.deepEqual(getParams({ limit: 500, clear: false }), { limit: 500, clear: 0 });
  assert.deepEqual(getParams({ limit: 5, clear: false, processId: 'x', error: true, filter: { '>ID': 7 }, order: { ID: 'ASC' } }), {
    limit: 5,
    clear: 0,
    process_id: 'x',
    error: 1,
    filter: { '>ID': 7 },
    order: { ID: 'ASC' },
  });
  assert.equal(getParams({ limit: 50, clear: true }).clear, 1);
  assert.throws(() => getParams({ limit: 0, clear: false }), /invalid limit/);
});

test('forwarded body: PHP bracket keys and PHP scalar rendering', () => {
  const event = {
    ID: '9',
    EVENT_NAME: 'onCrmDealUpdate',
    MESSAGE_ID: 'm'.repeat(32),
    EVENT_DATA: { FIELDS: { ID: 7, FLAG: true, OFF: false, NONE: null, LIST: ['a', 'b'] } },
  };
  const body = deliveryBody(event, { portal: 'https://x.bitrix24.com/', memberId: 'mem', applicationToken: 'tok' }, 1700000000);
  const fields = new URLSearchParams(body);
  assert.deepEqual(
    [...fields.entries()],
    [
      ['event', 'ONCRMDEALUPDATE'],
      ['event_handler_id', '0'],
      ['data[FIELDS][ID]', '7'],
      ['data[FIELDS][FLAG]', '1'],
      ['data[FIELDS][OFF]', '0'],
      ['data[FIELDS][LIST][0]', 'a'],
      ['data[FIELDS][LIST][1]', 'b'],
      ['ts', '1700000000'],
      ['auth[domain]', 'x.bitrix24.com'],
      ['auth[client_endpoint]', 'https://x.bitrix24.com/rest/'],
      ['auth[server_endpoint]', 'https://oauth.bitrix.info/rest/'],
      ['auth[member_id]', 'mem'],
      ['auth[application_token]', 'tok'],
    ],
  );
  assert.ok(body.startsWith('event=ONCRMDEALUPDATE&event_handler_id=0&data%5BFIELDS%5D%5BID%5D=7'));
  const empty = new URLSearchParams(deliveryBody({ ...event, EVENT_DATA: false }, { portal: 'https://x.bitrix24.com' }, 1));
  assert.equal(empty.get('data'), '0', 'false data renders as PHP does');
  assert.equal(empty.has('auth[member_id]'), false);
});
