import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setupPortal } from '../../helpers/portal.js';

const portal = await setupPortal({ scopes: ['crm'] });
portal.writeProfile('admin');
after(() => portal.close());

test('a misspelt event gets a "did you mean" from the portal\'s own list', async () => {
  const result = await portal.cli(['bind', 'ONCRMDEALADDD', 'https://hooks.example.com/x']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^error: there is no event ONCRMDEALADDD on this portal \(ERROR_EVENT_NOT_FOUND\) — did you mean ONCRMDEALADD\?\n$/);
});

test('an existing event outside the scopes says so instead of "not found"', async () => {
  const result = await portal.cli(['bind', 'ONTASKADD', 'https://hooks.example.com/x']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /ONTASKADD exists on this portal but is outside the application's scopes/);
});

test('an unbind that matched nothing points at the nearly identical bound URL', async () => {
  assert.equal((await portal.cli(['bind', 'ONCRMDEALADD', 'https://hooks.example.com/deal/'])).code, 0);
  const result = await portal.cli(['unbind', 'ONCRMDEALADD', 'https://hooks.example.com/deal']);
  assert.equal(result.code, 0);
  assert.match(result.stderr, /bound is https:\/\/hooks\.example\.com\/deal\/ \(URLs must match exactly\)/);
});

test('a loopback handler gets no "unreachable" warning when the portal itself is local', async () => {
  const result = await portal.cli(['bind', 'ONCRMLEADADD', 'http://127.0.0.1:9999/hook']);
  assert.equal(result.code, 0);
  assert.doesNotMatch(result.stderr, /warning/);
});

test('saved profiles but no default: the error names them and how to choose', async () => {
  const other = await setupPortal();
  try {
    other.writeProfile('one', {}, false);
    const result = await other.cli(['handlers']);
    assert.equal(result.code, 4);
    assert.match(result.stderr, /no default profile \(saved: one\) — pick one with --profile NAME, or make one the default: b24-events profile use one/);
  } finally {
    await other.close();
  }
});

test('malformed B24_TIMEOUT / B24_RATE_LIMIT are usage errors, not silently ignored', async () => {
  const timeout = await portal.cli(['handlers'], { env: { B24_TIMEOUT: 'soon' } });
  assert.equal(timeout.code, 2);
  assert.match(timeout.stderr, /B24_TIMEOUT must be a positive number of seconds, not "soon"/);
  const rate = await portal.cli(['handlers'], { env: { B24_RATE_LIMIT: 'fast' } });
  assert.equal(rate.code, 2);
  assert.match(rate.stderr, /B24_RATE_LIMIT must look like "2\/50"/);
});

test('commander errors with a suggestion stay on one line', async () => {
  const result = await portal.cli(['bnd']);
  assert.equal(result.code, 2);
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  assert.match(result.stderr, /unknown command 'bnd' \(Did you mean bind\?\)/);
});

test('a stopped local portal gets a "is it running" hint', async () => {
  portal.writeProfile('stopped', { portal: 'http://127.0.0.1:9' }, false);
  const result = await portal.cli(['handlers', '--profile', 'stopped']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /is the local portal running \(`b24-events sandbox`\)\?/);
});
