import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox, type TokenPair } from '../../src/sandbox/index.js';
import { call, errorOf, setup } from './helpers.js';

describe('sandbox leaky bucket', () => {
  let sandbox: Sandbox;
  let tokens: TokenPair;
  before(async () => {
    sandbox = await startSandbox({ rateLimit: { drainPerSec: 1, burst: 5 } });
    const app = sandbox.createApp({ scopes: ['crm'] });
    tokens = sandbox.issueTokens(app.clientId, 1);
  });
  after(() => sandbox.close());

  it('answers 503 QUERY_LIMIT_EXCEEDED once the burst is used up; batch counts once; OAuth is free', async () => {
    const statuses: number[] = [];
    const cmd = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [i, 'user.admin']));
    statuses.push((await call(`${sandbox.url}/rest/`, 'batch', { auth: tokens.access_token, cmd })).status);
    for (let i = 0; i < 5; i += 1) statuses.push((await call(`${sandbox.url}/rest/`, 'user.admin', { auth: tokens.access_token })).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 503]);
    const limited = await call(`${sandbox.url}/rest/`, 'user.admin', { auth: tokens.access_token });
    assert.deepEqual(errorOf(limited), [503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests']);
    const oauth = await fetch(`${sandbox.oauthUrl}/oauth/token/?grant_type=refresh_token&client_id=x`);
    assert.equal(oauth.status, 401);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await call(`${sandbox.url}/rest/`, 'user.admin', { auth: tokens.access_token })).status, 200);
  });
});

describe('sandbox fault injection', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    ctx = await setup();
  });
  after(() => ctx.sandbox.close());

  it('replies a scripted REST error for the next matching calls only', async () => {
    ctx.sandbox.injectFault({ method: 'event.get', times: 2, kind: 'error', status: 500, error: 'INTERNAL_SERVER_ERROR', description: 'boom' });
    assert.equal((await ctx.admin('user.admin')).status, 200);
    assert.deepEqual(errorOf(await ctx.admin('EVENT.GET.json')), [500, 'INTERNAL_SERVER_ERROR', 'boom']);
    assert.deepEqual(errorOf(await ctx.admin('event.get')), [500, 'INTERNAL_SERVER_ERROR', 'boom']);
    assert.equal((await ctx.admin('event.get')).status, 200);
  });

  it('serves a non-JSON proxy page', async () => {
    ctx.sandbox.injectFault({ kind: 'html', status: 502 });
    const response = await fetch(`${ctx.sandbox.url}/rest/user.admin`);
    assert.equal(response.status, 502);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await response.text(), /<html>/);
  });

  it('drops the connection without a reply', async () => {
    ctx.sandbox.injectFault({ kind: 'reset', method: 'scope' });
    await assert.rejects(fetch(`${ctx.sandbox.url}/rest/scope`), TypeError);
    assert.equal((await ctx.admin('scope')).status, 200);
  });

  it('delays a reply and still answers it normally', async () => {
    ctx.sandbox.injectFault({ kind: 'delay', ms: 300 });
    const started = Date.now();
    const reply = await ctx.admin('user.admin');
    assert.ok(Date.now() - started >= 280, 'reply came too early');
    assert.equal(reply.body.result, true);
    ctx.sandbox.injectFault({ kind: 'delay', ms: 2000 });
    await assert.rejects(fetch(`${ctx.sandbox.url}/rest/user.admin`, { signal: AbortSignal.timeout(100) }), (error: Error) => error.name === 'TimeoutError');
  });

  it('logs every /rest/ request with its normalised method', async () => {
    const before = ctx.sandbox.requestLog().length;
    await ctx.admin('Event.Get.json');
    await call(`${ctx.sandbox.url}/rest/`, 'nope');
    const log = ctx.sandbox.requestLog().slice(before);
    assert.deepEqual(
      log.map((e) => e.method),
      ['event.get', 'nope'],
    );
    assert.ok(log.every((e) => typeof e.at === 'number' && e.at <= Date.now()));
  });
});
