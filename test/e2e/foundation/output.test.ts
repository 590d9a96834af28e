import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setupPortal } from '../../helpers/portal.js';

const portal = await setupPortal();
portal.writeProfile('admin');
after(() => portal.close());

test('FORCE_COLOR colours stderr; NO_COLOR and --no-color turn it off', async () => {
  const args = ['bind', 'ONCRMDEALADD', 'https://hooks.example.com/colour'];
  const forced = await portal.cli(args, { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
  assert.match(forced.stderr, /\u001b\[32m✓/);
  const noColor = await portal.cli(args, { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
  assert.doesNotMatch(noColor.stderr, /\u001b\[/);
  const flag = await portal.cli([...args, '--no-color'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
  assert.doesNotMatch(flag.stderr, /\u001b\[/);
});

test('a failure says error: in red on a terminal, plainly otherwise', async () => {
  const args = ['bind', 'ON-BAD', 'https://hooks.example.com/x'];
  const terminal = await portal.cli(args, { tty: { stderrIsTTY: true }, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
  assert.equal(terminal.code, 2);
  assert.match(terminal.stderr, /^\u001b\[31merror:\u001b\[39m "ON-BAD" is not an event name/);
  const piped = await portal.cli(args);
  assert.match(piped.stderr, /^error: "ON-BAD" is not an event name/);
  const noColor = await portal.cli(args, { tty: { stderrIsTTY: true }, env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
  assert.match(noColor.stderr, /^error: /);
});

test('--json prints exactly one document and nothing else on stdout', async () => {
  for (const args of [['handlers'], ['events'], ['status'], ['profile', 'list'], ['bind', 'ONTASKADD', 'https://hooks.example.com/j']]) {
    const result = await portal.cli([...args, '--json'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    assert.doesNotThrow(() => JSON.parse(result.stdout), `${args.join(' ')} stdout: ${result.stdout}`);
    assert.doesNotMatch(result.stdout, /\u001b\[/, 'no colour in JSON');
  }
});

test('--fields keeps only the named keys (implies --json); an unknown field lists the available ones', async () => {
  const rows = await portal.cli(['handlers', '--fields', 'event,handler']);
  assert.equal(rows.code, 0, rows.stderr);
  const parsed = JSON.parse(rows.stdout) as Record<string, unknown>[];
  assert.ok(parsed.length > 0);
  assert.ok(parsed.every((row) => Object.keys(row).join(',') === 'event,handler'));
  const status = await portal.cli(['status', '--json', '--fields', 'portal']);
  assert.deepEqual(Object.keys(JSON.parse(status.stdout) as object), ['portal']);
  const typo = await portal.cli(['handlers', '--fields', 'evnt']);
  assert.equal(typo.code, 2);
  assert.equal(typo.stdout, '');
  assert.match(typo.stderr, /unknown field evnt for --fields — available: event, handler/);
  const empty = await portal.cli(['handlers', '--fields', 'event,']);
  assert.equal(empty.code, 2);
  const plain = await portal.cli(['events', '--fields', 'event']);
  assert.equal(plain.code, 2, 'event names have no fields to select');
  assert.match(plain.stderr, /prints plain values/);
});

test('a locale that is not UTF-8 gets ASCII stand-ins for ✓ → — …', async () => {
  const args = ['bind', 'ONCRMLEADUPDATE', 'https://hooks.example.com/ascii'];
  const ascii = await portal.cli(args, { env: { LANG: 'C' } });
  assert.equal(ascii.code, 0, ascii.stderr);
  assert.equal(ascii.stderr, 'OK Bound ONCRMLEADUPDATE -> https://hooks.example.com/ascii\n');
  const failure = await portal.cli(['bind', 'ON-BAD', 'https://hooks.example.com/x'], { env: { LANG: undefined, LC_ALL: 'POSIX' } });
  assert.match(failure.stderr, /^error: "ON-BAD" is not an event name -- event names look like/);
  const utf8 = await portal.cli(['unbind', ...args.slice(1)], { env: { LANG: undefined, LC_ALL: 'en_US.UTF-8' } });
  assert.match(utf8.stderr, /^✓ Removed 1 handler: ONCRMLEADUPDATE → /);
});
