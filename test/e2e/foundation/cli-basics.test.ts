import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli, tempConfigDir } from '../../helpers/cli.js';

const { dir, cleanup } = tempConfigDir();
after(cleanup);
const run = (args: string[], env?: Record<string, string | undefined>) => runCli(args, { configDir: dir, env });
/** The shim answers --version and root --help itself: only the real binary shows that. */
const spawned = (args: string[], env?: Record<string, string | undefined>) => runCli(args, { configDir: dir, env, spawn: true });

test('--version prints the package version and nothing else', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };
  for (const result of [await spawned(['--version']), await run(['--version'])]) {
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `${pkg.version}\n`);
    assert.equal(result.stderr, '');
  }
});

test('root --help lists every command, the environment and the exit codes', async () => {
  const result = await run(['--help']);
  assert.equal(result.code, 0);
  for (const word of ['status', 'events', 'bind', 'unbind', 'handlers|list', 'profile', 'B24_PORTAL', 'NO_COLOR', '130  interrupted']) {
    assert.ok(result.stdout.includes(word), `help lacks ${word}`);
  }
});

test('the build-time root help served by the shim is exactly what commander renders', async () => {
  const cached = await spawned(['--help']);
  const live = await spawned(['--help'], { B24_EVENTS_NO_HELP_CACHE: '1' });
  assert.equal(live.code, 0);
  assert.equal(cached.stdout, live.stdout);
  assert.equal((await run(['help'])).stdout, live.stdout);
  assert.equal((await run(['--help'])).stdout, live.stdout);
});

for (const command of [
  ['status'],
  ['events'],
  ['bind'],
  ['unbind'],
  ['handlers'],
  ['profile', 'add'],
  ['profile', 'list'],
  ['profile', 'show'],
  ['profile', 'use'],
  ['profile', 'remove'],
]) {
  test(`${command.join(' ')} --help has examples and the global options`, async () => {
    const result = await run([...command, '--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Examples:\n {2}b24-events /);
    assert.match(result.stdout, /--json/);
  });
}

test('help fits the terminal: an 80-column terminal gets no line longer than 80 and no word cut', async () => {
  for (const command of [['bind', '--help'], ['offline', 'drain', '--help'], ['--help']]) {
    const wide = await runCli(command, { configDir: dir, tty: { stdoutIsTTY: true, columns: 1000 } });
    const narrow = await runCli(command, { configDir: dir, tty: { stdoutIsTTY: true, columns: 80 } });
    assert.equal(narrow.code, 0);
    const long = narrow.stdout.split('\n').filter((line) => line.length > 80 && line.trim().includes(' '));
    assert.deepEqual(long, [], `${command.join(' ')}: lines wider than 80`);
    assert.deepEqual(narrow.stdout.split(/\s+/), wide.stdout.split(/\s+/), 'the same words, only laid out');
  }
  const shim = await spawned(['--help'], { COLUMNS: '60' });
  assert.ok(
    shim.stdout.split('\n').every((line) => line.length <= 60 || !line.trim().includes(' ')),
    shim.stdout,
  );
});

test('help A B is A B --help; version is --version (and takes --json)', async () => {
  const nested = await run(['help', 'offline', 'drain']);
  assert.equal(nested.code, 0);
  assert.match(nested.stdout, /^Usage: b24-events offline drain \[options\]/);
  assert.equal(nested.stdout, (await run(['offline', 'drain', '--help'])).stdout);
  const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal((await run(['version'])).stdout, `${pkg.version}\n`);
  assert.equal((await spawned(['version'])).stdout, `${pkg.version}\n`);
  assert.deepEqual(JSON.parse((await run(['version', '--json'])).stdout), { version: pkg.version });
});

test("commander's own errors read like ours: one line, no sentence punctuation before the hint", async () => {
  const result = await run(['handlers', 'extra']);
  assert.equal(result.code, 2);
  assert.equal(result.stderr, "error: too many arguments for 'handlers': expected 0 arguments but got 1 — see `b24-events handlers --help`\n");
});

test('an unknown command is a usage error (exit 2) on one stderr line', async () => {
  const result = await run(['bnid']);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /unknown command 'bnid'/);
  assert.match(result.stderr, /Did you mean bind\?/);
});

test('an unknown option is a usage error naming the option', async () => {
  const result = await run(['handlers', '--evnet', 'X']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /unknown option '--evnet'/);
});

test('without any credentials a command exits 4 and says how to add them', async () => {
  const result = await run(['handlers']);
  assert.equal(result.code, 4);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
  assert.match(result.stderr, /^error: no credentials/);
  assert.match(result.stderr, /b24-events init/);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
});

test('B24_PORTAL without the rest of the credentials names what is missing', async () => {
  const result = await run(['handlers'], { B24_PORTAL: 'https://example.bitrix24.com' });
  assert.equal(result.code, 4);
  assert.match(result.stderr, /B24_CLIENT_ID, B24_CLIENT_SECRET, B24_REFRESH_TOKEN or B24_ACCESS_TOKEN are missing/);
});

test('a --profile that does not exist is a usage error', async () => {
  const result = await run(['handlers', '--profile', 'nope']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /profile "nope" \(from --profile\) does not exist/);
});

test('bind validates input before any request: bad names, schemes and hosts exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['bind', 'ON-CRM', 'https://hooks.example.com/x'], /"ON-CRM" is not an event name/],
    [['bind', 'ONCRMDEALADD', 'ftp://hooks.example.com/x'], /must use http or https, not ftp/],
    [['bind', 'ONCRMDEALADD', 'https://localhost/x'], /host "localhost" has no dot/],
    [['bind', 'ONCRMDEALADD'], /missing handler URL/],
    [['bind', 'ONCRMDEALADD', 'https://a.example.com', '--offline'], /--offline takes no handler URL/],
    [['bind', 'ONCRMDEALADD', 'https://a.example.com', '--min-timeout', '5'], /--min-timeout applies only to ONOFFLINEEVENT/],
    [['bind', 'ONOFFLINEEVENT', '--offline'], /ONOFFLINEEVENT cannot be bound offline/],
    [['bind', 'ONCRMDEALADD', 'https://a.example.com', '--auth-type', 'x'], /--auth-type: /],
    [['unbind', '--all-events'], /--all-events needs --handler URL/],
  ];
  for (const [args, message] of cases) {
    const result = await run(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.equal(result.stdout, '');
  }
});
