import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson } from '../../helpers/cli.js';
import { assertNoSecrets, secretsOf, setupPortal } from '../../helpers/portal.js';

const portal = await setupPortal();
portal.writeProfile('admin');
after(() => portal.close());

test('a proxy error page (non-JSON 502) on a read is retried, then succeeds', async () => {
  portal.sandbox.injectFault({ method: 'event.get', kind: 'html', status: 502, times: 1 });
  const result = await portal.cli(['handlers', '--json']);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(parseJson(result), []);
});

test('a persistent non-JSON reply is one clear line naming the HTTP status, no stack trace', async () => {
  portal.sandbox.injectFault({ method: 'event.get', kind: 'html', status: 502, times: 3 });
  const result = await portal.cli(['handlers']);
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /^error: event\.get: the portal replied HTTP 502 with a non-JSON body \(text\/html\) — a proxy or the portal returned an error page/,
  );
  assert.equal(result.stderr.trim().split('\n').length, 1);
});

test('a write is not repeated after a server fault (it may have run)', async () => {
  portal.sandbox.injectFault({ method: 'event.bind', kind: 'html', status: 502, times: 1 });
  const result = await portal.cli(['bind', 'ONCRMDEALADD', 'https://hooks.example.com/once']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /HTTP 502/);
  const binds = portal.sandbox.requestLog().filter((r) => r.method === 'event.bind');
  assert.equal(binds.length, 1);
});

test('a dropped connection is reported as such', async () => {
  portal.sandbox.injectFault({ method: 'event.bind', kind: 'reset', times: 1 });
  const result = await portal.cli(['bind', 'ONCRMDEALADD', 'https://hooks.example.com/reset']);
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /^error: event\.bind: cannot reach 127\.0\.0\.1:\d+: connection (closed before a reply|reset); the portal may have carried it out — check with/,
  );
});

test('an unreachable portal fails fast with a network hint', async () => {
  portal.writeProfile('gone', { portal: 'http://127.0.0.1:9' }, false);
  const result = await portal.cli(['handlers', '--profile', 'gone'], { env: { B24_RATE_LIMIT: 'off' } });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /cannot reach 127\.0\.0\.1:9: connection refused/);
});

test('--timeout bounds a slow reply', async () => {
  // The reply would come after 20 s; giving up well before that (with room for a loaded machine) is the point.
  portal.sandbox.injectFault({ method: 'event.bind', kind: 'delay', ms: 20_000, times: 1 });
  const started = Date.now();
  const result = await portal.cli(['bind', 'ONCRMDEALADD', 'https://hooks.example.com/slow', '--timeout', '1']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /did not answer within 1s; the portal may have carried it out — check .* allow more time with --timeout/);
  assert.ok(Date.now() - started < 15_000, 'gave up before the reply came');
});

test('QUERY_LIMIT_EXCEEDED and OPERATION_TIME_LIMIT are retried with back-off', async () => {
  portal.sandbox.injectFault({ method: 'event.bind', kind: 'error', status: 503, error: 'QUERY_LIMIT_EXCEEDED', description: 'Too many requests', times: 2 });
  const limited = await portal.cli(['bind', 'ONCRMDEALADD', 'https://hooks.example.com/limited']);
  assert.equal(limited.code, 0, limited.stderr);
  portal.sandbox.injectFault({
    method: 'event.bind',
    kind: 'error',
    status: 429,
    error: 'OPERATION_TIME_LIMIT',
    description: 'Method is blocked due to operation time limit.',
    times: 1,
  });
  const blocked = await portal.cli(['bind', 'ONCRMDEALADD', 'https://hooks.example.com/blocked']);
  assert.equal(blocked.code, 0, blocked.stderr);
});

test('--debug traces requests with secrets redacted; stack traces only with --debug', async () => {
  portal.sandbox.expireAccessTokens();
  const traced = await portal.cli(['handlers', '--debug']);
  assert.equal(traced.code, 0, traced.stderr);
  assert.match(traced.stderr, /\[debug\] → POST http:\/\/127\.0\.0\.1:\d+\/rest\/event\.get\.json/);
  assert.match(traced.stderr, /\[debug\] ← 401 event\.get/);
  assert.match(traced.stderr, /\[debug\] → GET http:\/\/127\.0\.0\.1:\d+\/oauth\/token\/ grant_type=refresh_token/);
  const profile = portal.readConfig().profiles.admin!;
  assertNoSecrets(traced, [...secretsOf(portal), profile.accessToken!, profile.refreshToken!]);
  portal.sandbox.injectFault({ method: 'event.get', kind: 'error', status: 403, error: 'ACCESS_DENIED', times: 1 });
  const failed = await portal.cli(['handlers', '--debug']);
  assert.equal(failed.code, 4);
  assert.match(failed.stderr, /\n\s+at /, 'stack trace with --debug');
});
