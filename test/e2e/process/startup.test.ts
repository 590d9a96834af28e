// Start-up stays light, checked by what loads (not by timing): help of any command is served from the
// cache the build renders, and a status without credentials fails before conf, undici and zod load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderHelp } from '../../../src/help-cache.js';
import layout from '../../../src/output/help-layout.cjs';
import { runCli, tempConfigDir } from '../../helpers/cli.js';
import { runRecordingModules } from '../../helpers/loaded-modules.js';

const HEAVY = ['undici', 'conf', 'proper-lockfile', 'qs'];
const ENGINE = /^dist\/src\/offline\//;

function cleanEnv(home: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), NO_COLOR: '1', LANG: 'C.UTF-8' };
}

function assertNotLoaded(modules: string[], forbidden: (string | RegExp)[], what: string): void {
  for (const rule of forbidden) {
    const hit = modules.find((name) => (typeof rule === 'string' ? name === rule : rule.test(name)));
    assert.equal(hit, undefined, `${what} loaded ${hit}`);
  }
}

test("a command's --help (and help CMD) loads no module at all: the shim answers from the build's cache", () => {
  const { dir, cleanup } = tempConfigDir();
  try {
    for (const args of [
      ['bind', '--help'],
      ['offline', 'drain', '--help'],
      ['profile', 'add', '-h'],
      ['sandbox', '--help'],
      ['help', 'offline', 'drain'],
    ]) {
      const run = runRecordingModules(args, cleanEnv(dir));
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^Usage: b24-events /);
      assert.deepEqual(
        run.modules.filter((name) => !name.endsWith('help-layout.cjs')),
        [],
        `${args.join(' ')} loaded modules`,
      );
    }
  } finally {
    cleanup();
  }
});

test('without the cache (a global flag first) offline drain --help still loads neither undici, conf nor the drain engine', () => {
  const { dir, cleanup } = tempConfigDir();
  try {
    const run = runRecordingModules(['--no-color', 'offline', 'drain', '--help'], cleanEnv(dir));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /--pipe <cmd>/);
    assert.ok(run.modules.includes('commander'), 'the program was built (the cache was not used)');
    assertNotLoaded(run.modules, [...HEAVY, ENGINE], 'offline drain --help');
  } finally {
    cleanup();
  }
});

test('status without credentials fails after one look at the disk: no conf, undici, zod, chalk or drain engine', () => {
  const { dir, cleanup } = tempConfigDir();
  try {
    const run = runRecordingModules(['status'], cleanEnv(dir));
    assert.equal(run.status, 4, run.stderr);
    assert.match(run.stderr, /^error: no credentials: no profile is configured and B24_PORTAL is not set — run `b24-events init`/);
    assertNotLoaded(run.modules, [...HEAVY, 'zod', 'chalk', ENGINE], 'a failing status');

    // a config file without a usable profile: read and checked (zod), but no conf (it only writes) and no HTTP stack
    mkdirSync(join(dir, '.config', 'b24-events'), { recursive: true });
    writeFileSync(join(dir, '.config', 'b24-events', 'config.json'), JSON.stringify({ profiles: {} }), { mode: 0o600 });
    const empty = runRecordingModules(['status'], cleanEnv(dir));
    assert.equal(empty.status, 4, empty.stderr);
    assert.match(empty.stderr, /^error: no credentials/);
    assert.ok(empty.modules.includes('zod'), 'the config file was read and checked');
    assertNotLoaded(empty.modules, ['undici', 'conf', ENGINE], 'a status without a usable profile');
  } finally {
    cleanup();
  }
});

const HELP_CACHE = fileURLToPath(new URL('../../../help.json', import.meta.url));

test("the help cache covers every command and says exactly what the command's own --help says", async () => {
  const cached = JSON.parse(readFileSync(HELP_CACHE, 'utf8')) as Record<string, string>;
  const rendered = await renderHelp();
  assert.deepEqual(cached, rendered, 'dist/help.json is what the current commands render');
  for (const path of ['offline', 'offline drain', 'profile add', 'handlers', 'list', 'sandbox', 'status']) assert.ok(path in cached, `${path} missing`);
  const { dir, cleanup } = tempConfigDir();
  try {
    for (const [path, text] of Object.entries(cached)) {
      const live = await runCli([...path.split(' '), '--help'], { configDir: dir });
      assert.equal(live.code, 0, live.stderr);
      assert.equal(live.stdout, layout.wrapHelp(text, 80), `${path} --help differs from its cache`);
    }
  } finally {
    cleanup();
  }
});
