// A request that asked too much of the portal (a timeout, a server fault, OPERATION_TIME_LIMIT)
// halves the pages the next request reads; nothing is lost on the way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fault, SandboxOptions } from '../../../src/sandbox/index.js';
import { startProxy } from '../../reliability/proxy.js';
import { dealIds, enqueue, offlinePortal, queueRows, range, sorted } from './helpers.js';

/** `event.offline.get` commands in one batch request body: the pages it reads. */
const readsIn = (body: string): number => (decodeURIComponent(body).match(/event\.offline\.get/g) ?? []).length;

/**
 * Drains 3,000 events in pages of 100 through a proxy that arms `fault` on the sandbox just before the
 * third batch reaches it; returns the pages each batch asked for (the failed one included). A fault
 * the drain cannot tell from a lost reply ends in exit 1 with the documented "may have reserved" line.
 */
async function readsAroundFault(fault: Fault, options: { ambiguous: boolean; env?: Record<string, string>; sandbox?: SandboxOptions }): Promise<number[]> {
  const portal = await offlinePortal(options.sandbox);
  const proxy = await startProxy(portal.sandbox.url);
  try {
    portal.writeProfile('admin', { portal: proxy.url, oauthServer: proxy.url });
    enqueue(portal, 1, 3000);
    let batches = 0;
    proxy.arm(
      (req) => req.path.startsWith('/rest/batch') && ++batches === 3,
      async ({ res, forward }) => {
        portal.sandbox.injectFault({ ...fault, method: 'batch', times: 1 });
        const upstream = await forward();
        res.writeHead(upstream.status, { 'content-type': String(upstream.headers['content-type'] ?? 'text/plain') }).end(upstream.body);
      },
    );
    const result = await portal.cli(['offline', 'drain', '--batch', '100'], { env: options.env ?? {} });
    assert.equal(result.code, options.ambiguous ? 1 : 0, result.stderr);
    if (options.ambiguous) assert.match(result.stderr, /16 reads lost their reply and may have reserved records/);
    assert.deepEqual(sorted(dealIds(result.stdout)), range(1, 3000), 'every event delivered once');
    assert.deepEqual(queueRows(portal), []);
    return proxy.seen.filter((req) => req.path.startsWith('/rest/batch')).map((req) => readsIn(req.body));
  } finally {
    await proxy.close();
    await portal.close();
  }
}

test('without trouble the pages per request grow 1, 4, 16', async () => {
  const reads = await readsAroundFault({ kind: 'delay', ms: 0 }, { ambiguous: false });
  assert.deepEqual(reads.slice(0, 3), [1, 4, 16]);
});

test('a server fault (HTTP 502) halves the pages of the next request', async () => {
  const reads = await readsAroundFault({ kind: 'html', status: 502 }, { ambiguous: true });
  assert.deepEqual(reads.slice(0, 4), [1, 4, 16, 8]);
});

test('a request that times out halves the pages of the next request', async () => {
  const reads = await readsAroundFault({ kind: 'delay', ms: 2500 }, { ambiguous: true, env: { B24_TIMEOUT: '1' } });
  assert.deepEqual(reads.slice(0, 4), [1, 4, 16, 8]);
});

// The client waits OPERATION_TIME_LIMIT out by itself (the portal ran nothing) and sends the same request
// again; the engine hears of it through the exchange's `retried` and halves the request after that one.
test('OPERATION_TIME_LIMIT halves the pages of the next request', async () => {
  const limit: Fault = { kind: 'error', status: 429, error: 'OPERATION_TIME_LIMIT', description: 'Method is blocked due to operation time limit.' };
  // a 2-second operating window: the client waits for its reset (operating_reset_at), not its 10-second cap
  const reads = await readsAroundFault(limit, { ambiguous: false, sandbox: { operating: { limitSec: 480, windowSec: 2, chargeSec: 0 } } });
  assert.deepEqual(reads.slice(0, 5), [1, 4, 16, 16, 8], 'the refused request sent again as it was, then half');
});

test('a rate-limit refusal (503 QUERY_LIMIT_EXCEEDED) is paced out, not taken for too big a request', async () => {
  const refusal: Fault = { kind: 'error', status: 503, error: 'QUERY_LIMIT_EXCEEDED', description: 'Too many requests' };
  const reads = await readsAroundFault(refusal, { ambiguous: false });
  assert.deepEqual(reads.slice(0, 4), [1, 4, 16, 16], 'the refused request sent again as it was');
  assert.ok((reads[4] ?? 0) >= 16, `not halved after it: ${reads.join(', ')}`);
});
