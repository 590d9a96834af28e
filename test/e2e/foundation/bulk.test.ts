// The one policy of bulk binds and unbinds (apply, unbind --all-events, init --bind): retried after a
// dropped connection, and a run in which no request got through fails as one error with its exit code.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setupPortal } from '../../helpers/portal.js';

const portal = await setupPortal();
portal.writeProfile('admin');
after(() => portal.close());
const HOOK = 'https://hooks.example.com/b24/bulk';
const bound = () => portal.sandbox.handlers(portal.app.clientId).length;

test('unbind --all-events rides out a dropped connection: the batch is sent again', async () => {
  for (const event of ['ONCRMDEALADD', 'ONCRMLEADADD']) assert.equal((await portal.cli(['bind', event, HOOK])).code, 0);
  portal.sandbox.injectFault({ method: 'batch', kind: 'reset', times: 1 });
  const result = await portal.cli(['unbind', '--handler', HOOK, '--all-events', '--yes', '--json']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(bound(), 0);
});

test('apply whose only batch is refused: one error line with the auth exit code, nothing reported as applied', async () => {
  const manifest = join(portal.configDir, 'bulk.json');
  writeFileSync(manifest, JSON.stringify({ version: 1, bindings: [{ event: 'ONCRMDEALADD', handler: HOOK }] }));
  portal.sandbox.injectFault({ method: 'batch', kind: 'error', status: 403, error: 'ACCESS_DENIED', description: 'Access denied!' });
  const result = await portal.cli(['apply', '-f', manifest]);
  assert.equal(result.code, 4, result.stderr);
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  assert.match(result.stderr, /^error: .*ACCESS_DENIED/);
  assert.equal(bound(), 0);
});
