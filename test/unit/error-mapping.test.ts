// toCliError / formatError: every failure becomes one line with its exit code and a hint.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, MissingTokenError, TransportError } from '../../src/api/errors.js';
import { toCliError } from '../../src/error-report.js';
import { formatError } from '../../src/output/error-line.js';
import { AuthError, CliError, ExitCode, InterruptedError, UsageError } from '../../src/errors.js';

const api = (code: string, status = 400, description = 'text') => new ApiError({ code, status, description, method: 'event.bind' });

test('portal error codes map to exit codes by category, with the hint of the code', () => {
  const cases: [string, number, number][] = [
    ['WRONG_AUTH_TYPE', 403, ExitCode.auth],
    ['insufficient_scope', 401, ExitCode.auth],
    ['invalid_grant', 400, ExitCode.auth],
    ['ERROR_EVENT_NOT_FOUND', 400, ExitCode.usage],
    ['ERROR_ARGUMENT', 400, ExitCode.usage],
    ['ERROR_CORE', 400, ExitCode.failure],
    ['QUERY_LIMIT_EXCEEDED', 503, ExitCode.failure],
    ['SOMETHING_NEW', 418, ExitCode.failure],
  ];
  for (const [code, status, exit] of cases) {
    const error = toCliError(api(code, status));
    assert.equal(error.exitCode, exit, code);
    assert.equal(error.code, code);
  }
  const wrongAuth = toCliError(api('WRONG_AUTH_TYPE', 403, 'Current authorization type is denied for this method'));
  assert.ok(wrongAuth instanceof AuthError);
  assert.equal(
    wrongAuth.message,
    'event.bind: this method works only with an application OAuth token, not an incoming webhook (WRONG_AUTH_TYPE: Current authorization type is denied for this method)',
  );
  assert.match(wrongAuth.hint ?? '', /profile add --help/);
  assert.ok(toCliError(api('ERROR_ARGUMENT')) instanceof UsageError);
  assert.equal(
    toCliError(new ApiError({ code: 'ERROR_ARGUMENT', status: 400, description: 'bad', method: 'event.bind', argument: 'EVENT' })).message,
    'event.bind: the portal rejected an argument (ERROR_ARGUMENT: bad: argument EVENT)',
  );
  assert.equal(toCliError(api('SOMETHING_NEW')).hint, undefined);
});

test('transport failures: the hint depends on the kind and on a loopback portal', () => {
  const local = toCliError(new TransportError('network', 'cannot reach 127.0.0.1:9', { url: 'http://127.0.0.1:9/rest/x' }));
  assert.equal(local.code, 'TRANSPORT_NETWORK');
  assert.match(local.hint ?? '', /is the local portal running/);
  const remote = toCliError(new TransportError('network', 'cannot reach x', { url: 'https://example.bitrix24.com/rest/x' }));
  assert.match(remote.hint ?? '', /check the address/);
  assert.match(toCliError(new TransportError('timeout', 't', { url: 'https://a.b/' })).hint ?? '', /--timeout/);
  assert.equal(toCliError(new TransportError('non-json', 'n', { url: 'https://a.b/' })).exitCode, ExitCode.failure);
});

test('our own errors pass through; aborts are interruptions; anything else is "unexpected"', () => {
  const usage = new UsageError('bad');
  assert.equal(toCliError(usage), usage);
  assert.ok(toCliError(Object.assign(new Error('x'), { name: 'AbortError' })) instanceof InterruptedError);
  assert.equal(toCliError(new MissingTokenError('none')).exitCode, ExitCode.auth);
  const unexpected = toCliError(new TypeError('boom'));
  assert.equal(unexpected.message, 'unexpected error: boom');
  assert.equal(unexpected.exitCode, ExitCode.failure);
});

test('formatError: one line, redacted, hint after a dash; a redacted stack only with debug', () => {
  const error = new CliError('call failed for token s3cr3t-token\nsecond line', ExitCode.failure, { hint: 'retry' });
  const redact = (text: string) => text.replaceAll('s3cr3t-token', '***');
  assert.equal(formatError(error, redact, false), 'error: call failed for token *** second line — retry\n');
  const debug = formatError(error, redact, true);
  assert.equal(debug.split('\n')[0], 'error: call failed for token *** second line — retry');
  assert.match(debug, /\n\s+at /);
  assert.doesNotMatch(debug, /s3cr3t-token/);
});
