// How a drain sizes its requests and writes to stdout: pages per request (RequestSizer) and the
// stdout sink's group writes.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { handlePage } from '../../src/offline/page.js';
import { RequestSizer } from '../../src/offline/sizer.js';
import { stdoutSink } from '../../src/offline/sinks/stdout.js';
import type { OfflineEvent } from '../../src/offline/types.js';

test('stdout sink: one write() per group of records, in queue order, each handled once written', async () => {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk.toString());
      done();
    },
  });
  const events: OfflineEvent[] = Array.from({ length: 300 }, (_, i) => ({ ID: String(i + 1), EVENT_NAME: 'E', MESSAGE_ID: `${i}`.padEnd(32, '0') }));
  const result = await handlePage(events, stdoutSink(stream), { signal: new AbortController().signal, finishAll: false, onVerdict: () => {} });
  assert.equal(result.handledIds.length, 300);
  assert.ok(writes.length <= 3, `${writes.length} writes for 300 records`);
  assert.deepEqual(
    writes
      .join('')
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as OfflineEvent).ID),
    events.map((event) => event.ID),
  );
});

test('stdout sink: a failed write leaves its group and the rest unattempted (reserved), nothing failed', async () => {
  let calls = 0;
  const stream = new Writable({
    write(_chunk, _encoding, done) {
      calls += 1;
      done(calls === 2 ? Object.assign(new Error('EPIPE'), { code: 'EPIPE' }) : null);
    },
  });
  stream.on('error', () => {}); // the process shell listens for a closed stdout
  const events: OfflineEvent[] = Array.from({ length: 400 }, (_, i) => ({ ID: i + 1, EVENT_NAME: 'E', MESSAGE_ID: `${i}`.padEnd(32, '0') }));
  const result = await handlePage(events, stdoutSink(stream), { signal: new AbortController().signal, finishAll: false, onVerdict: () => {} });
  assert.equal(result.handledIds.length, 128, 'the first group was written');
  assert.equal(result.failedMessageIds.length, 0);
  assert.equal(result.unattempted, 272);
  assert.match(result.sinkStopped?.message ?? '', /stdout was closed \(EPIPE\)/);
});

const sizer = (limits: Partial<{ maxEvents: number; maxBytes: number; targetMs: number }> = {}, pageSize = 1000) =>
  new RequestSizer({ pageSize, maxEvents: 16_000, maxBytes: 8 << 20, targetMs: 5000, ...limits }, 500);

test('pages per request: one at first, x4 while full pages come back fast and the sink keeps up, capped by the batch', () => {
  const s = sizer();
  assert.equal(s.reads(0), 1);
  s.onReply(40, true);
  s.onHandled(20);
  assert.equal(s.current, 4);
  s.onReply(200, true);
  s.onHandled(80);
  assert.equal(s.current, 16, '16 reads + 32 confirms of 500 ids = 48 of the 50 commands');
  s.onReply(200, true);
  s.onHandled(80);
  assert.equal(s.current, 16);
  assert.equal(s.reads(40), 10, 'never more commands than a batch takes');
});

test('pages per request: a slow sink, short pages or a slow portal do not grow it; trouble halves it', () => {
  const slowSink = sizer();
  slowSink.onReply(40, true);
  slowSink.onHandled(600);
  assert.equal(slowSink.current, 1, 'a sink slower than the requests gains nothing from more pages');
  const short = sizer();
  short.onReply(40, false);
  short.onHandled(5);
  assert.equal(short.current, 1);
  const s = sizer();
  for (let i = 0; i < 2; i += 1) {
    s.onReply(10, true);
    s.onHandled(10);
  }
  assert.equal(s.current, 16);
  s.onReply(6000, true);
  assert.equal(s.current, 8, 'a reply over the work target halves it');
  s.onTrouble();
  assert.equal(s.current, 4, 'a timeout, a 5xx or OPERATION_TIME_LIMIT halves it');
});

test('pages per request: bounded by the records and the bytes in hand; huge records shrink the page itself', () => {
  const byEvents = sizer({ maxEvents: 3000 });
  for (let i = 0; i < 3; i += 1) {
    byEvents.onReply(10, true);
    byEvents.onHandled(10);
  }
  assert.equal(byEvents.current, 3);
  const byBytes = sizer({ maxBytes: 4 << 20 });
  byBytes.observe(Array.from({ length: 4 }, (_, i) => ({ ID: i, EVENT_NAME: 'E', MESSAGE_ID: 'm', EVENT_DATA: 'x'.repeat(1000) })));
  for (let i = 0; i < 3; i += 1) {
    byBytes.onReply(10, true);
    byBytes.onHandled(10);
  }
  assert.equal(byBytes.pageLimit, 1000);
  assert.equal(byBytes.current, 3, '4 MiB hold three pages of 1000 records of ~1 KB');
  const huge = sizer({ maxBytes: 1 << 20 });
  huge.observe([{ ID: 1, EVENT_NAME: 'E', MESSAGE_ID: 'm', EVENT_DATA: 'x'.repeat(100_000) }]);
  assert.equal(huge.pageLimit, 10, 'records of 100 KB: 10 per read');
});
