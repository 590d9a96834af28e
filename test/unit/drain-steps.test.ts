// The drain engine's pure steps: what to read next (Planner) and handing a page to a sink (handlePage).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { handlePage } from '../../src/offline/page.js';
import { Planner } from '../../src/offline/planner.js';
import { createDrainStats } from '../../src/offline/engine.js';
import type { PageRequest } from '../../src/offline/queue.js';
import { SinkStopped, type OfflineEvent, type Sink, type Verdict } from '../../src/offline/types.js';

const selection = { errors: false };
const event = (id: number): OfflineEvent => ({ ID: String(id), MESSAGE_ID: `m${id}`.padEnd(32, '0'), EVENT_NAME: 'ONCRMDEALUPDATE' });

test('Planner: resumed batches first (walked by id, one read a request), then fresh reservations; max shrinks the last page', () => {
  const planner = new Planner([{ processId: 'p1', errorRows: false }], { selection, max: 60, atMostOnce: false });
  const stats = createDrainStats(0);
  const reread = (afterId: number | undefined) => ({ kind: 'reread', limit: 50, processId: 'p1', errorRows: false, afterId });
  assert.deepEqual(planner.requests(stats, 4, 50), [reread(undefined)]);
  assert.equal(
    planner.onPage({ processId: 'p1', errorRows: false, events: Array.from({ length: 50 }, (_, i) => event(i + 4)) }, reread(undefined) as PageRequest),
    false,
  );
  assert.deepEqual(planner.requests(stats, 4, 50), [reread(53)]);
  assert.equal(planner.onPage({ processId: 'p1', errorRows: false, events: [event(60)] }, reread(53) as PageRequest), true, 'a short re-read ends the batch');
  assert.equal(planner.resuming, undefined);
  stats.handled = 5;
  assert.deepEqual(planner.requests(stats, 4, 20), [
    { kind: 'reserve', limit: 20, selection },
    { kind: 'reserve', limit: 20, selection },
    { kind: 'reserve', limit: 15, selection },
  ]);
  stats.failed = 55;
  assert.deepEqual(planner.requests(stats, 4, 20), [], 'max reached');
  assert.equal(planner.onEmpty(), false);
});

test('Planner: at most once reads one page at a time with take (clear=1), never reserve', () => {
  const planner = new Planner([], { selection, atMostOnce: true });
  assert.deepEqual(planner.requests(createDrainStats(0), 8, 10), [{ kind: 'take', limit: 10, selection }]);
});

/** A sink whose verdict per event id is scripted, recording how many ran at once. */
function scriptedSink(verdicts: Record<number, Verdict | 'stop' | 'throw'>, concurrency = 1, waitMs = 5) {
  let running = 0;
  let peak = 0;
  const started: (string | number)[] = [];
  const sink: Sink = {
    concurrency,
    async handle(e) {
      started.push(e.ID);
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      running -= 1;
      const verdict = verdicts[Number(e.ID)] ?? { handled: true };
      if (verdict === 'stop') throw new SinkStopped('reader gone');
      if (verdict === 'throw') throw new Error('sink crashed');
      return verdict;
    },
    close: () => Promise.resolve(),
  };
  return { sink, started, peak: () => peak };
}

const noStop = () => ({ signal: new AbortController().signal, finishAll: false, onVerdict: () => undefined });

test('handlePage: confirms by id, flags by message id, a thrown error is a failure with its reason', async () => {
  const { sink } = scriptedSink({ 2: { handled: false, reason: 'exit 1' }, 3: 'throw' });
  const reasons: string[] = [];
  const result = await handlePage([1, 2, 3, 4].map(event), sink, { ...noStop(), onVerdict: (_e, v) => !v.handled && reasons.push(v.reason) });
  assert.deepEqual(result.handledIds, ['1', '4']);
  assert.deepEqual(result.failedMessageIds, [event(2).MESSAGE_ID, event(3).MESSAGE_ID]);
  assert.equal(result.unattempted, 0);
  assert.deepEqual(reasons, ['exit 1', 'sink crashed']);
});

test('handlePage: never more than the sink concurrency at once, in queue order', async () => {
  const { sink, started, peak } = scriptedSink({}, 3);
  const result = await handlePage([1, 2, 3, 4, 5, 6, 7].map(event), sink, noStop());
  assert.equal(peak(), 3);
  assert.deepEqual(started, ['1', '2', '3', '4', '5', '6', '7']);
  assert.equal(result.handledIds.length, 7);
});

test('handlePage: a soft stop starts nothing new; the events in hand finish; the rest is unattempted', async () => {
  const controller = new AbortController();
  const { sink, started } = scriptedSink({});
  const result = await handlePage([1, 2, 3, 4].map(event), sink, {
    signal: controller.signal,
    finishAll: false,
    onVerdict: (e) => e.ID === '2' && controller.abort(),
  });
  assert.deepEqual(started, ['1', '2']);
  assert.deepEqual(result.handledIds, ['1', '2']);
  assert.equal(result.unattempted, 2);
});

test('handlePage: a stopped sink leaves its event and the rest unattempted, and says why', async () => {
  const { sink } = scriptedSink({ 2: 'stop' });
  const result = await handlePage([1, 2, 3].map(event), sink, noStop());
  assert.deepEqual(result.handledIds, ['1']);
  assert.equal(result.unattempted, 2);
  assert.equal(result.sinkStopped?.message, 'reader gone');
});
