import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson } from '../../helpers/cli.js';
import { setupPortal } from '../../helpers/portal.js';
import { rest, writeManifest } from './helpers.js';

test('a whole batch refused (no rest_auth_connector) is reported per change while the rest applies; exit 1', async () => {
  const portal = await setupPortal({ features: { rest_auth_connector: false } });
  try {
    portal.writeProfile('admin');
    const file = writeManifest(portal, 'm.json', {
      bindings: [
        { event: 'ONCRMDEALADD', handler: 'https://hooks.example.com/a' },
        { event: 'ONCRMLEADADD', offline: true, connector: 'erp' },
      ],
    });
    const result = await portal.cli(['apply', '-f', file, '--json']);
    assert.equal(result.code, 1, result.stderr);
    const body = parseJson<{ added: number; failed: number; changes: { status: string; error?: string }[] }>(result);
    assert.equal(body.added, 1);
    assert.equal(body.failed, 1);
    assert.match(JSON.stringify(body.changes), /WRONG_LICENSE/);
  } finally {
    await portal.close();
  }
});

test('a non-administrator manifest with auth_type 0 converges (the portal stores their own id)', async () => {
  const portal = await setupPortal();
  after(() => portal.close());
  const user2 = portal.sandbox.issueTokens(portal.app.clientId, 2);
  portal.writeProfile('user2', {
    accessToken: user2.access_token,
    refreshToken: user2.refresh_token,
    accessTokenExpires: user2.expires,
    userId: 2,
    admin: false,
  } as never);
  const file = writeManifest(portal, 'n.json', { bindings: [{ event: 'ONCRMDEALADD', handler: 'https://hooks.example.com/n', auth_type: 0 }] });
  assert.equal((await portal.cli(['apply', '-f', file])).code, 0);
  const plan = await portal.cli(['plan', '-f', file, '--detailed-exitcode']);
  assert.equal(plan.code, 0, `in sync after one apply: ${plan.stdout}${plan.stderr}`);
});

test('export escapes a literal ${ so export → plan round-trips', async () => {
  const portal = await setupPortal();
  try {
    portal.writeProfile('admin');
    await rest(portal, 'event.bind', { event: 'ONCRMDEALADD', handler: 'https://hooks.example.com/x?t=${abc}' });
    const exported = writeManifest(portal, 'hand-written.json', { bindings: [] });
    const refused = await portal.cli(['export', '-o', exported]);
    assert.equal(refused.code, 2, 'an existing manifest is not replaced silently');
    assert.match(refused.stderr, /already exists; nothing was written — pass --force/);
    const out = await portal.cli(['export', '-o', exported, '--force']);
    assert.equal(out.code, 0, out.stderr);
    const plan = await portal.cli(['plan', '-f', exported, '--detailed-exitcode']);
    assert.equal(plan.code, 0, plan.stderr);
  } finally {
    await portal.close();
  }
});

test('handler URLs with spaces or control characters are refused before any request', async () => {
  const portal = await setupPortal();
  try {
    portal.writeProfile('admin');
    const file = writeManifest(portal, 's.json', { bindings: [{ event: 'ONCRMDEALADD', handler: ' https://hooks.example.com/sp ' }] });
    const sent = portal.sandbox.requestLog().length;
    const result = await portal.cli(['apply', '-f', file]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /contains spaces or control characters/);
    assert.equal(portal.sandbox.requestLog().length, sent);
  } finally {
    await portal.close();
  }
});
