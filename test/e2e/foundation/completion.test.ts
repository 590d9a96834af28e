// Shell completion: candidates come from the command tree itself, profile names from the config file,
// event names from the cache `events` keeps; the bash, zsh and fish scripts are run in the real shells.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { BIN, baseEnv } from '../../helpers/cli.js';
import { setupPortal } from '../../helpers/portal.js';

const portal = await setupPortal();
portal.writeProfile('prod');
portal.writeProfile('staging', {}, false);
const bin = mkdtempSync(join(tmpdir(), 'b24-completion-'));
symlinkSync(BIN, join(bin, 'b24-events'));
after(async () => {
  rmSync(bin, { recursive: true, force: true });
  await portal.close();
});
const candidates = async (...words: string[]) => (await portal.cli(['__complete', '--', ...words])).stdout.split('\n').filter(Boolean);

test('__complete: subcommands, flags (the command’s and the global ones) and choices, from the command tree', async () => {
  assert.deepEqual(await candidates('b'), ['bind']);
  assert.deepEqual(await candidates('offline', ''), ['clear', 'drain', 'error', 'list']);
  assert.deepEqual(await candidates('offline', 'drain', '--e'), ['--errors', '--event', '--exec']);
  assert.ok((await candidates('bind', 'X', '--')).includes('--offline') && (await candidates('bind', 'X', '--')).includes('--profile'), 'own and global flags');
  assert.deepEqual(await candidates('completion', ''), ['bash', 'fish', 'zsh']);
  const json = JSON.parse((await portal.cli(['completion', 'fish', '--json'])).stdout) as { shell: string; script: string };
  assert.equal(json.shell, 'fish');
  assert.match(json.script, /^complete -c b24-events /m);
  assert.deepEqual(await candidates('plan', '-f', ''), [':files']);
  assert.deepEqual(await candidates('export', '--output', ''), [':files']);
});

test('__complete: profile names from the config file, event names once `events` has run', async () => {
  assert.deepEqual(await candidates('--profile', ''), ['prod', 'staging']);
  assert.deepEqual(await candidates('handlers', '--profile', 'st'), ['staging']);
  assert.deepEqual(await candidates('bind', 'ONCRMDEALA'), [], 'nothing cached yet');
  assert.equal((await portal.cli(['events'])).code, 0);
  assert.deepEqual(await candidates('bind', 'ONCRMDEALA'), ['ONCRMDEALADD']);
  assert.deepEqual(await candidates('unbind', 'oncrmdealupd'), ['ONCRMDEALUPDATE'], 'typed in lower case');
  assert.ok((await candidates('handlers', '--event', 'ONTASK')).includes('ONTASKADD'));
});

/** The environment a user's shell would have: the linked b24-events on PATH, this portal's config folder. */
const shellEnv = () => ({ ...baseEnv(portal.configDir), PATH: `${bin}:${dirname(process.execPath)}:${process.env.PATH ?? ''}` });
const script = (shell: string) => {
  const result = spawnSync(process.execPath, [BIN, 'completion', shell], { env: shellEnv(), encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
};
const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;

test('bash runs the script: the completion function fills COMPREPLY', () => {
  const run = (line: string) => {
    const words = line.split(' ');
    const code = `${script('bash')}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _b24_events; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const result = spawnSync('bash', ['--norc', '-c', code], { env: shellEnv(), encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout.split('\n').filter(Boolean);
  };
  assert.deepEqual(run('b24-events pro'), ['profile']);
  assert.deepEqual(run('b24-events profile use st'), ['staging'], 'profile use, show and remove take a saved profile');
  assert.deepEqual(run('b24-events --profile st'), ['staging']);
  assert.deepEqual(run('b24-events offline drain --ex'), ['--exec']);
});

test(
  'zsh runs the script: its completion function hands the candidates to compadd',
  { skip: !has('zsh') && 'zsh is not installed (.ci/run installs it)' },
  () => {
    const code = `compdef() { :; }\n${script('zsh')}\ncompadd() { shift; print -l -- "$@"; }\n_files() { print -- FILES; }\nwords=(b24-events offline dr); CURRENT=3; _b24_events\nwords=(b24-events plan -f ''); CURRENT=4; _b24_events`;
    const result = spawnSync('zsh', ['-f', '-c', code], { env: shellEnv(), encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.stdout.split('\n').filter(Boolean), ['drain', 'FILES']);
  },
);

test('fish runs the script: `complete -C` lists the candidates', { skip: !has('fish') && 'fish is not installed (.ci/run installs it)' }, () => {
  const code = `${script('fish')}\ncomplete -C 'b24-events offline dr'\ncomplete -C 'b24-events --profile pr'`;
  const result = spawnSync('fish', ['--no-config', '-c', code], { env: shellEnv(), encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(result.stdout.split('\n').filter(Boolean), ['drain', 'prod']);
});
