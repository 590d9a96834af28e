import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseJson } from '../../helpers/cli.js';
import { assertNoSecrets, secretsOf } from '../../helpers/portal.js';
import { enqueue, offlinePortal, queueRows, range, sorted } from './helpers.js';

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  fields: URLSearchParams;
}

/** A handler that records deliveries; `answer` picks the status per deal id (or 'hang'). */
async function handlerServer(answer: (dealId: number) => number | 'hang') {
  const deliveries: Delivery[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const fields = new URLSearchParams(body);
      deliveries.push({ headers: req.headers, body, fields });
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const status = answer(Number(fields.get('data[FIELDS][ID]')));
      if (status === 'hang') return;
      setTimeout(() => {
        inFlight -= 1;
        res.writeHead(status).end('ok');
      }, 100);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/b24/handler.php`;
  return {
    url,
    deliveries,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

test('forward sink: POSTs like an online delivery with the profile identity; 2xx handled, others flagged', async () => {
  const portal = await offlinePortal();
  const handler = await handlerServer((id) => (id === 2 ? 500 : id === 3 ? 'hang' : id === 4 ? 202 : 200));
  try {
    enqueue(portal, 1, 8);
    const started = Math.floor(Date.now() / 1000);
    const result = await portal.cli(['offline', 'drain', '--forward-to', handler.url, '--concurrency', '3', '--handler-timeout', '1', '--json']);
    assert.equal(result.code, 1, result.stderr);
    const summary = parseJson<Record<string, number>>(result);
    assert.equal(summary.handled, 6);
    assert.equal(summary.failed, 2);
    assert.match(result.stderr, /failed: the handler answered HTTP 500/);
    assert.match(result.stderr, /failed: no answer within 1s/);

    const one = handler.deliveries.find((d) => d.fields.get('data[FIELDS][ID]') === '1');
    assert.ok(one);
    assert.equal(one.headers['content-type'], 'application/x-www-form-urlencoded');
    const sandboxUrl = new URL(portal.sandbox.url);
    assert.equal(one.fields.get('event'), 'ONCRMDEALUPDATE');
    assert.equal(one.fields.get('event_handler_id'), '0');
    assert.equal(one.fields.get('auth[application_token]'), portal.app.applicationToken);
    assert.equal(one.fields.get('auth[member_id]'), portal.sandbox.memberId);
    assert.equal(one.fields.get('auth[domain]'), sandboxUrl.host);
    assert.equal(one.fields.get('auth[client_endpoint]'), `${portal.sandbox.url}/rest/`);
    assert.ok(Math.abs(Number(one.fields.get('ts')) - started) < 30);
    assert.ok(one.body.includes('data%5BFIELDS%5D%5BID%5D=1'), 'PHP bracket keys, percent-encoded like the portal sends them');
    assert.match(String(one.headers['x-b24-message-id']), /^[0-9a-f]{32}$/);
    assert.equal(handler.maxInFlight(), 3);

    assert.deepEqual(sorted(handler.deliveries.map((d) => Number(d.fields.get('data[FIELDS][ID]')))), range(1, 8));
    assert.deepEqual(
      queueRows(portal).map((row) => [row.EVENT_DATA.FIELDS.ID, row.ERROR]),
      [
        [2, 1],
        [3, 1],
      ],
    );
    assertNoSecrets(result, secretsOf(portal));
  } finally {
    await handler.close();
    await portal.close();
  }
});

test('forward sink: a redirect is a failure, and a bad URL is refused before any request', async () => {
  const portal = await offlinePortal();
  const handler = await handlerServer(() => 302);
  try {
    enqueue(portal, 1, 1);
    const result = await portal.cli(['offline', 'drain', '--forward-to', handler.url]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /HTTP 302/);
    assert.equal(queueRows(portal)[0]?.ERROR, 1);
    const bad = await portal.cli(['offline', 'drain', '--forward-to', 'ftp://example.com/x']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: --forward-to: the URL must use http or https/);
    const both = await portal.cli(['offline', 'drain', '--forward-to', handler.url, '--exec', 'cat']);
    assert.equal(both.code, 2);
  } finally {
    await handler.close();
    await portal.close();
  }
});

test('forward sink: a handler that refuses connections stops the drain; nothing is flagged', async () => {
  const portal = await offlinePortal();
  const handler = await handlerServer(() => 200);
  await handler.close();
  try {
    enqueue(portal, 1, 3);
    const result = await portal.cli(['offline', 'drain', '--forward-to', handler.url, '--json']);
    assert.equal(result.code, 1);
    const summary = parseJson<{ stopped: string; stop_reason: string; left_reserved: { events: number }[] }>(result);
    assert.equal(summary.stopped, 'sink-stopped');
    assert.match(summary.stop_reason, /unreachable \(ECONNREFUSED\)/);
    assert.equal(summary.left_reserved[0]?.events, 3);
    assert.equal(queueRows(portal).filter((row) => row.ERROR === 1).length, 0);
  } finally {
    await portal.close();
  }
});
