// A read refused before it left the machine (nothing listening yet) reserved nothing: it must not be
// counted as a read that "may have reserved records".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { dealIds, enqueue, offlinePortal, queueRows, range, until } from './helpers.js';

/** A port nothing listens on (taken, then freed). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP relay on `port` to `target`, started once the drain has been refused. */
async function relay(port: number, target: number): Promise<Server> {
  const server = createServer((socket) => {
    const upstream = connect(target, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

test('a refused connection is retried without counting an uncertain reservation', async () => {
  const portal = await offlinePortal();
  let server: Server | undefined;
  try {
    enqueue(portal, 1, 5);
    const port = await freePort();
    portal.writeProfile('admin', { portal: `http://127.0.0.1:${port}` });
    const stop = new AbortController();
    const drain = portal.cli(['offline', 'drain', '--follow', '--json'], { signal: stop.signal });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the first read is refused; the retry comes after 1s
    server = await relay(port, Number(new URL(portal.sandbox.url).port));
    await until(() => queueRows(portal).length === 0, 'the queue drained through the relay');
    stop.abort();
    const result = await drain;
    assert.equal(result.code, 130, result.stderr);
    assert.match(result.stderr, /ECONNREFUSED|connection refused/i);
    const summary = JSON.parse(result.stderr.trim().split('\n').at(-1) ?? '') as { handled: number; uncertain_reservations: number };
    assert.equal(summary.handled, 5);
    assert.equal(summary.uncertain_reservations, 0, 'a refused read reserved nothing');
    assert.deepEqual(dealIds(result.stdout), range(1, 5));
  } finally {
    server?.close();
    await portal.close();
  }
});
