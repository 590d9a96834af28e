import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkHandlerUrl, normalizeEventName, unreachableWarning } from '../../src/bindings/validate.js';
import { normalizePortalUrl } from '../../src/config/portal-url.js';
import { UsageError } from '../../src/errors.js';

test('handler URLs: private and local hosts get a reachability warning from a remote portal, public ones none', () => {
  const cloud = 'https://example.bitrix24.com';
  for (const url of ['http://192.168.1.20/h', 'http://10.0.0.5/h', 'http://172.20.1.1/h', 'http://127.0.0.1:3000/h', 'https://printer.local/h']) {
    assert.match(unreachableWarning(url, cloud) ?? '', /the portal example\.bitrix24\.com cannot reach it/, url);
    assert.equal(unreachableWarning(url, 'http://127.0.0.1:8024'), undefined, `a loopback portal reaches ${url}`);
  }
  assert.equal(unreachableWarning('https://hooks.example.com/b24', cloud), undefined);
  assert.equal(unreachableWarning('http://172.32.0.1/h', cloud), undefined, '172.32 is public');
});

test('portal addresses: a scheme-less loopback address means http, anything else https', () => {
  assert.equal(normalizePortalUrl('127.0.0.1:8024'), 'http://127.0.0.1:8024');
  assert.equal(normalizePortalUrl('localhost:3000/rest/'), 'http://localhost:3000');
  assert.equal(normalizePortalUrl('example.bitrix24.com'), 'https://example.bitrix24.com');
  assert.equal(normalizePortalUrl('https://127.0.0.1:8443'), 'https://127.0.0.1:8443');
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
