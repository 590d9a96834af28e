import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { B24Client } from '../../src/api/client.js';
import { createDispatcher, DEFAULT_TIMEOUTS } from '../../src/api/http.js';
import { Redactor } from '../../src/api/redact.js';
import { runBatch } from '../../src/api/batch.js';

interface Seen {
  url: string;
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
  socket: unknown;
}

const seen: Seen[] = [];
let redirectTo = '';
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    seen.push({ url: req.url ?? '', method: req.method ?? '', headers: req.headers, body, socket: req.socket });
    if (req.url?.startsWith('/old/') && redirectTo) {
      res.writeHead(302, { location: `${redirectTo}${req.url.slice(4)}` }).end();
      return;
    }
    const parsed = JSON.parse(body || '{}') as { cmd?: Record<string, string> };
    const result = req.url?.includes('/batch') ? batchReply(parsed.cmd ?? {}) : { ok: true };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result, time: {} }));
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
redirectTo = origin;
const dispatcher = createDispatcher(DEFAULT_TIMEOUTS);
after(async () => {
  await dispatcher.close();
  server.close();
});

function batchReply(cmd: Record<string, string>) {
  const keys = Object.keys(cmd);
  return {
    result: Object.fromEntries(keys.filter((k) => !cmd[k]!.includes('bad')).map((k) => [k, cmd[k]])),
    result_error: Object.fromEntries(keys.filter((k) => cmd[k]!.includes('bad')).map((k) => [k, { error: 'ERROR_ARGUMENT', error_description: 'bad' }])),
  };
}

function client(portal = origin) {
  return new B24Client({
    portal,
    tokens: { accessToken: () => Promise.resolve('access-token-123456'), renew: () => Promise.resolve('access-token-renewed') },
    dispatcher,
    userAgent: 'b24-events/9.9.9',
    timeouts: DEFAULT_TIMEOUTS,
    rateLimit: false,
    redactor: new Redactor(),
  });
}

test('POSTs JSON to /rest/{method}.json with auth in the body and a User-Agent', async () => {
  seen.length = 0;
  await client().result('event.unbind', { event: 'ONCRMDEALADD', auth_type: 15 });
  const [request] = seen;
  assert.equal(request?.method, 'POST');
  assert.equal(request?.url, '/rest/event.unbind.json');
  assert.equal(request?.headers['user-agent'], 'b24-events/9.9.9');
  assert.equal(request?.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(request.body), { event: 'ONCRMDEALADD', auth_type: 15, auth: 'access-token-123456' });
});

test('reuses keep-alive connections instead of opening one per call', async () => {
  seen.length = 0;
  const c = client();
  for (const method of ['a', 'b', 'c', 'd', 'e', 'f']) await c.result(method);
  assert.equal(seen.length, 6);
  const sockets = new Set(seen.map((s) => s.socket));
  assert.ok(sockets.size <= 2, `6 calls used ${sockets.size} connections`);
});

test('a renamed portal (302) gets the same POST again, not a GET', async () => {
  seen.length = 0;
  await client(`${origin}/old`).result('event.get', { x: 1 });
  assert.equal(seen.length, 2);
  assert.equal(seen[1]?.method, 'POST');
  assert.equal(seen[1]?.url, '/rest/event.get.json');
  assert.deepEqual(JSON.parse(seen[1].body).x, 1);
});

test('runBatch splits into requests of at most 50 commands and reports per-command errors', async () => {
  seen.length = 0;
  const commands = Array.from({ length: 120 }, (_, i) => ({
    key: `k${i}`,
    method: i === 77 ? 'bad.method' : 'event.bind',
    params: { event: `E${i}`, options: { minTimeout: 3 } },
  }));
  const outcomes = await runBatch(client(), commands);
  assert.equal(seen.length, 3);
  assert.deepEqual(
    seen.map((s) => Object.keys(JSON.parse(s.body).cmd).length),
    [50, 50, 20],
  );
  assert.equal(outcomes.length, 120);
  const failed = outcomes.filter((o) => !o.ok);
  assert.equal(failed.length, 1);
  assert.equal(failed[0]?.key, 'k77');
  const first = JSON.parse(seen[0]!.body).cmd.k0 as string;
  assert.equal(decodeURIComponent(first), 'event.bind?event=E0&options[minTimeout]=3');
});
