import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { B24Client } from '../../src/api/client.js';
import { TransportError } from '../../src/api/errors.js';
import { createDispatcher, DEFAULT_TIMEOUTS } from '../../src/api/http.js';
import { refreshTokens } from '../../src/api/oauth.js';
import { LeakyBucket, type RateLimit } from '../../src/api/pacer.js';
import { Redactor } from '../../src/api/redact.js';
import { startSandbox } from '../../src/sandbox/index.js';

const limit: RateLimit = { drainPerSec: 10, burst: 3 };
const sandbox = await startSandbox({ rateLimit: limit });
const app = sandbox.createApp({ scopes: ['crm'] });
const dispatcher = createDispatcher(DEFAULT_TIMEOUTS);
after(async () => {
  await dispatcher.close();
  await sandbox.close();
});

function client(rateLimit: RateLimit | false) {
  const token = sandbox.issueTokens(app.clientId, 1).access_token;
  return new B24Client({
    portal: sandbox.url,
    tokens: { accessToken: () => Promise.resolve(token), renew: () => Promise.resolve(token) },
    dispatcher,
    userAgent: 'test',
    timeouts: DEFAULT_TIMEOUTS,
    rateLimit,
    redactor: new Redactor(),
    retry: { rateAttempts: 8, transientAttempts: 1, baseDelayMs: 50, maxDelayMs: 400 },
  });
}

test('the client paces itself inside the portal bucket: no 503, no retries', async () => {
  const paced = client(limit);
  for (let i = 0; i < 10; i += 1) await paced.result('event.get');
  assert.equal(paced.requestCount, 10, 'every call went through on the first attempt');
});

test('without pacing the same burst hits QUERY_LIMIT_EXCEEDED and needs retries', async () => {
  await new Promise((resolve) => setTimeout(resolve, 500)); // let the portal bucket drain
  const unpaced = client(false);
  for (let i = 0; i < 10; i += 1) await unpaced.result('event.get');
  assert.ok(unpaced.requestCount > 10, `expected 503 retries, sent ${unpaced.requestCount}`);
});

test('LeakyBucket: free within the burst (less one slot of headroom), then one slot per 1/drain seconds', () => {
  let now = 0;
  const bucket = new LeakyBucket({ drainPerSec: 2, burst: 3 }, () => now);
  assert.deepEqual([bucket.reserve(), bucket.reserve()], [0, 0]);
  assert.equal(bucket.reserve(), 500);
  now = 2000;
  assert.equal(bucket.reserve(), 0);
  bucket.saturate(); // the portal said full: wait for a slot below the headroom line
  assert.equal(bucket.reserve(), 1000);
});

test('the token endpoint never follows redirects (the query carries the client secret)', async () => {
  const redirector = createServer((req, res) => {
    req.resume();
    res.writeHead(302, { location: 'http://127.0.0.1:9/steal' }).end();
  });
  await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
  try {
    const server = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
    await assert.rejects(
      refreshTokens({ server, clientId: 'id', clientSecret: 'secret' }, 'refresh', { dispatcher, timeouts: DEFAULT_TIMEOUTS, userAgent: 'test' }),
      (error: unknown) =>
        error instanceof TransportError &&
        error.kind === 'redirect' &&
        /redirected the request to http:\/\/127\.0\.0\.1:9 \(HTTP 302\); it was not sent there/.test(error.message),
    );
  } finally {
    redirector.close();
  }
});
