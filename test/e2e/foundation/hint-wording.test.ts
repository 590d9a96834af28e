// Hints point the right way and read like ours: the command that really stores an application token,
// the subcommand's own --help, a flag named without a zod path.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { enqueue, offlinePortal } from '../offline/helpers.js';

const portal = await offlinePortal();
after(() => portal.close());

/** A handler that takes every POST. */
async function acceptingHandler(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => void req.resume().on('end', () => res.end('ok')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

test('a --forward-to drain without an application token names the command that stores one, and that command works as printed', async () => {
  portal.writeProfile('admin', { applicationToken: undefined });
  const handler = await acceptingHandler();
  try {
    enqueue(portal, 1, 2);
    const drained = await portal.cli(['offline', 'drain', '--forward-to', handler.url]);
    assert.equal(drained.code, 0, drained.stderr);
    const hint = /store it with `(b24-events login --application-token) TOKEN`/.exec(drained.stderr);
    assert.ok(hint?.[1], drained.stderr);
    assert.doesNotMatch(drained.stderr, /profile add --application-token/);

    const args = hint[1].split(' ').slice(1);
    const stored = await portal.cli([...args, portal.app.applicationToken]);
    assert.equal(stored.code, 0, stored.stderr);
    assert.equal(portal.readConfig().profiles.admin?.applicationToken, portal.app.applicationToken);
    enqueue(portal, 3, 3);
    const again = await portal.cli(['offline', 'drain', '--forward-to', handler.url]);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /no application token/);
  } finally {
    await handler.close();
  }
});

test("a subcommand's commander error points at that subcommand's --help", async () => {
  const result = await portal.cli(['profile', 'add', 'x', '--bogus']);
  assert.equal(result.code, 2);
  assert.equal(result.stderr, "error: unknown option '--bogus' — see `b24-events profile add --help`\n");
});

test('a bad value in a repeatable flag is named as the flag, without a zod path', async () => {
  for (const ids of [['abc'], ['a'.repeat(32), 'abc']]) {
    const result = await portal.cli(['offline', 'clear', '--process-id', 'x'.repeat(32), ...ids.flatMap((id) => ['--message-id', id])]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^error: --message-id: message ids are 32 characters\b/);
    assert.doesNotMatch(result.stderr, /--message-id\.\d/);
  }
});
