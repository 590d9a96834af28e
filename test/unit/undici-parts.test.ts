// src/api/undici.ts loads two of undici's own files instead of its index: they must still be its
// connection pool and its request call (a new undici 7 could move them).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import * as undici from 'undici';
import { Agent, request } from '../../src/api/undici.js';

test("the Agent is undici's own, and request() sends through the dispatcher it is given", async () => {
  assert.equal(Agent, undici.Agent);
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => res.writeHead(201, { 'x-test': 'yes' }).end('created'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new Agent();
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rest/event.bind.json?x=1`;
    const reply = await request(url, { dispatcher: agent, method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(reply.statusCode, 201);
    assert.equal(reply.headers['x-test'], 'yes');
    assert.equal(await reply.body.text(), 'created');
    assert.deepEqual(seen, ['POST /rest/event.bind.json?x=1']);
  } finally {
    await agent.close();
    server.close();
  }
});
