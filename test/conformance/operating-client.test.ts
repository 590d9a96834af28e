// The CLI's REST client (src/api/client.ts) against the sandbox's simulated operating budget, over
// real HTTP: how it waits on OPERATION_TIME_LIMIT, and what a user sees when the block outlasts it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { B24Client } from '../../src/api/client.js';
import { createDispatcher, DEFAULT_TIMEOUTS } from '../../src/api/http.js';
import { Redactor } from '../../src/api/redact.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { setupPortal } from '../helpers/portal.js';

describe('conformance: the CLI client against OPERATION_TIME_LIMIT', () => {
  let sandbox: Sandbox;
  const dispatcher = createDispatcher(DEFAULT_TIMEOUTS);
  before(async () => {
    sandbox = await startSandbox({ rateLimit: false, operating: { limitSec: 1, windowSec: 2, chargeSec: { 'event.get': 1.5 } } });
  });
  after(async () => {
    await dispatcher.close();
    await sandbox.close();
  });

  it("waits for the blocked method's own operating_reset_at, not another method's", async () => {
    const app = sandbox.createApp({ scopes: ['crm'] });
    const token = sandbox.issueTokens(app.clientId, 1).access_token;
    const waits: number[] = [];
    const client = new B24Client({
      portal: sandbox.url,
      tokens: { accessToken: () => Promise.resolve(token), renew: () => Promise.resolve(token) },
      dispatcher,
      userAgent: 'test',
      timeouts: DEFAULT_TIMEOUTS,
      rateLimit: false,
      redactor: new Redactor(),
      sleep: (ms) => {
        waits.push(ms);
        return new Promise((resolve) => setTimeout(resolve, ms));
      },
    });
    const first = await client.call('event.get'); // 1.5 s spent: the next event.get is blocked
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const other = await client.call('scope'); // a fresh method: its reset is a whole window away
    assert.ok((other.time?.operating_reset_at ?? 0) > (first.time?.operating_reset_at ?? 0));
    const again = await client.call('event.get', {}, { idempotent: true });
    assert.ok(Array.isArray(again.result));
    assert.ok(waits.length >= 1);
    assert.ok((waits[0] ?? Infinity) <= 800, `waited ${waits.join(', ')} ms: event.get was free again within half a second`);
  });

  it('a block that outlasts the bounded retries ends in one clear error line, exit 1', async () => {
    const portal = await setupPortal({ operating: { limitSec: 1, windowSec: 600, chargeSec: { 'event.get': 2 } } });
    try {
      portal.writeProfile('admin');
      assert.equal((await portal.cli(['handlers'])).code, 0);
      const blocked = await portal.cli(['handlers', '--json']);
      assert.equal(blocked.code, 1);
      assert.equal(blocked.stdout, '');
      assert.match(blocked.stderr, /^error: event\.get: .*OPERATION_TIME_LIMIT.* — .*retry later\n$/);
    } finally {
      await portal.close();
    }
  });
});
