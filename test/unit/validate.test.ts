import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkHandlerUrl, normalizeEventName } from '../../src/bindings/validate.js';
import { UsageError } from '../../src/errors.js';

test('handler URLs: private and local hosts get a reachability warning, public ones none', () => {
  for (const url of ['http://192.168.1.20/h', 'http://10.0.0.5/h', 'http://172.20.1.1/h', 'http://127.0.0.1:3000/h', 'https://printer.local/h']) {
    assert.match(checkHandlerUrl(url).warning ?? '', /cannot reach it/, url);
  }
  assert.equal(checkHandlerUrl('https://hooks.example.com/b24').warning, undefined);
  assert.equal(checkHandlerUrl('http://172.32.0.1/h').warning, undefined, '172.32 is public');
});

test('handler URLs the portal would refuse are usage errors', () => {
  assert.throws(() => checkHandlerUrl('ftp://a.example.com/'), UsageError);
  assert.throws(() => checkHandlerUrl('https://intranet/hook'), /has no dot/);
  assert.throws(() => checkHandlerUrl('not-a-url'), /is not a URL/);
  assert.throws(() => checkHandlerUrl('https://a.example.com/x\n'), /spaces or control characters/);
});

test('event names are checked and upper-cased', () => {
  assert.equal(normalizeEventName(' onCrmDynamicItemAdd_147 '), 'ONCRMDYNAMICITEMADD_147');
  assert.throws(() => normalizeEventName('ON CRM'), UsageError);
  assert.throws(() => normalizeEventName('1EVENT'), UsageError);
});
