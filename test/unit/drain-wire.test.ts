// What a drain sends: batch sub-commands encoded without qs (the same text qs writes) and the cheap
// guard that checks a page instead of copying it through a schema.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import qs from 'qs';
import { encodeQuery } from '../../src/api/batch.js';
import { parseOfflinePage } from '../../src/api/offline.js';

test('batch sub-commands: the query string qs writes, id lists included, without a tree per value', () => {
  const cases: Record<string, unknown>[] = [
    { process_id: 'abc', id: Array.from({ length: 1000 }, (_, i) => i + 1) },
    { limit: 1000, clear: 0, error: 1, filter: { '>ID': 7, '=EVENT_NAME': 'ONCRMDEALUPDATE' }, order: { ID: 'ASC' } },
    { message_id: ['0d4c3e86b0b2c6a1f5e7d9a8c7b6e5f4', "it's (odd) *chars* & = ? # % ü 字"], flag: true, off: false, none: null, skip: undefined },
    { nested: { list: [{ a: 1 }, { b: [2, 3] }], empty: [], obj: {} }, float: 1.5, neg: -3, date: new Date(0) },
  ];
  for (const params of cases) assert.equal(encodeQuery(params), qs.stringify(params), JSON.stringify(params).slice(0, 80));
});

test('a page is checked cheaply and kept as the portal sent it; a malformed one is a clear error', () => {
  const events = [{ ID: '1', EVENT_NAME: 'ONCRMDEALUPDATE', MESSAGE_ID: 'm'.repeat(32), EVENT_DATA: { FIELDS: { ID: 1 } } }];
  const page = parseOfflinePage({ process_id: 'p'.repeat(32), events });
  assert.equal(page.events, events, 'the same objects, not a copy');
  assert.equal(page.processId, 'p'.repeat(32));
  assert.throws(
    () => parseOfflinePage({ process_id: 'x', events: [{ ID: '1', EVENT_NAME: 'X' }] }),
    /MALFORMED_REPLY.*record 1 lacks ID, EVENT_NAME or MESSAGE_ID/,
  );
  assert.throws(() => parseOfflinePage({ process_id: 7, events: [] }), /process_id is not a string/);
  assert.throws(() => parseOfflinePage(null), /no events array/);
});
