import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

test('package.json: bin shim, ESM, Node >= 20.19, runtime deps whose majors accept Node 20', () => {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as Record<string, any>;
  assert.deepEqual(pkg.bin, { 'b24-events': 'bin/b24-events.js' });
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.engines.node, '>=20.19');
  for (const name of Object.keys(pkg.dependencies)) {
    const dep = JSON.parse(readFileSync(`${root}node_modules/${name}/package.json`, 'utf8')) as { engines?: { node?: string } };
    const range = dep.engines?.node ?? '';
    assert.doesNotMatch(range, /^(>=|\^)\s*2[1-9]/, `${name} requires ${range}`);
  }
});

test('npm pack ships the shim, the compiled CLI, the cached help and the schema, and no tests or sources', () => {
  const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  assert.equal(packed.status, 0, packed.stderr);
  const files = (JSON.parse(packed.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  for (const required of [
    'bin/b24-events.js',
    'dist/src/bin.js',
    'dist/src/sandbox/index.js',
    'dist/root-help.txt',
    'dist/help.json',
    'schema/b24-events.schema.json',
    'README.md',
    'package.json',
  ]) {
    assert.ok(files.includes(required), `missing ${required}`);
  }
  assert.ok(!files.some((f) => f.startsWith('dist/test/') || f.startsWith('src/') || f.startsWith('test/')), 'tests or sources packed');
});
