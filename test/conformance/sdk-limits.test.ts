// The official SDK's own machinery against the sandbox: its restriction manager (503 retried by the
// SDK itself, 429 surfaced) and its webhook client, which refuses http:// and so needs sandbox --tls.
import assert from 'node:assert/strict';
import { Agent } from 'node:https';
import { describe, it } from 'node:test';
import { ApiVersion, B24Hook, type SdkError } from '@bitrix24/b24jssdk';
import { startSandbox } from '../../src/sandbox/index.js';
import type { Json } from './fixtures.js';
import { call, failure, sdkClient } from './sdk.js';

describe('conformance: the SDK’s restriction manager against the sandbox’s limits', () => {
  it('recognises 503 QUERY_LIMIT_EXCEEDED from the leaky bucket and retries it by itself', async () => {
    const sandbox = await startSandbox({ rateLimit: { drainPerSec: 2, burst: 2 } });
    try {
      const app = sandbox.createApp({ scopes: ['crm'] });
      // a larger client-side bucket than the portal's, so the portal's 503 is what stops it
      const { b24 } = sdkClient(sandbox, app, 1, { rateLimit: { burstLimit: 1000, drainRate: 1000, adaptiveEnabled: false } });
      const results = await Promise.all([1, 2, 3].map(() => call(b24, 'scope')));
      assert.equal(results.length, 3);
      const refused = sandbox.requestLog().length - 3;
      assert.ok(refused >= 1, 'at least one call was refused with 503 and sent again');
    } finally {
      await sandbox.close();
    }
  });

  it('surfaces OPERATION_TIME_LIMIT (429) from the simulated operating budget', async () => {
    const sandbox = await startSandbox({ rateLimit: false, operating: { limitSec: 1, windowSec: 600, chargeSec: 2 } });
    try {
      const app = sandbox.createApp({ scopes: ['crm'] });
      const { b24 } = sdkClient(sandbox, app, 1, { maxRetries: 1 });
      const first = await call(b24, 'event.get');
      assert.ok(first.time.operating >= 2);
      const blocked = await failure(call(b24, 'event.get'));
      assert.deepEqual([blocked.code, blocked.status], ['OPERATION_TIME_LIMIT', 429]);
    } finally {
      await sandbox.close();
    }
  });
});

describe('conformance: the SDK’s webhook client needs HTTPS, which sandbox --tls serves', () => {
  it('B24Hook refuses http://, works over the TLS sandbox, and event methods answer WRONG_AUTH_TYPE', async () => {
    const plain = await startSandbox({ rateLimit: false });
    const tls = await startSandbox({ rateLimit: false, tls: true });
    try {
      assert.throws(
        () => B24Hook.fromWebhookUrl(plain.createWebhook(1)),
        (error: SdkError) => error.code === 'JSSDK_HOOK_URL_NOT_HTTPS',
      );
      const hook = B24Hook.fromWebhookUrl(tls.createWebhook(1));
      hook.offClientSideWarning();
      hook.getHttpClient(ApiVersion.v2).ajaxClient.defaults.httpsAgent = new Agent({ ca: tls.caCert });
      const profile = await hook.actions.v2.call.make({ method: 'profile', params: {} });
      assert.equal((profile.getData() as Json).result.ID, '1');
      const refused = await failure(hook.actions.v2.call.make({ method: 'event.get', params: {} }));
      assert.deepEqual([refused.status, refused.code], [403, 'WRONG_AUTH_TYPE']);
    } finally {
      await Promise.all([plain.close(), tls.close()]);
    }
  });
});
