// Proves the checks bite: plants a layer violation (src/api/ importing commands/) and a floating
// promise, runs eslint and dependency-cruiser on them, and fails unless both are reported. The
// planted files are removed whatever happens. Part of `npm run check`.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const planted = { layer: 'src/api/zz-planted-layer.ts', promise: 'src/zz-planted-promise.ts' };
const cleanup = () => Object.values(planted).forEach((file) => rmSync(`${root}${file}`, { force: true }));
process.on('SIGINT', () => (cleanup(), process.exit(130)));

function run(bin, args) {
  const result = spawnSync(process.execPath, [`${root}node_modules/${bin}`, ...args], { cwd: root, encoding: 'utf8' });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

const expectations = [
  [
    'dependency-cruiser',
    () => run('dependency-cruiser/bin/dependency-cruise.mjs', [planted.layer, '--config', '.dependency-cruiser.cjs']),
    /api-is-self-contained/,
  ],
  ['eslint', () => run('eslint/bin/eslint.js', ['--max-warnings', '0', planted.promise]), /no-floating-promises/],
];

let failed = false;
try {
  writeFileSync(`${root}${planted.layer}`, "import { commandTable } from '../commands/registry.js';\nexport const planted = commandTable.length;\n");
  writeFileSync(`${root}${planted.promise}`, 'export async function planted(): Promise<void> {}\nvoid 0;\nplanted();\n');
  for (const [tool, check, rule] of expectations) {
    const { code, output } = check();
    if (code === 0 || !rule.test(output)) {
      failed = true;
      console.error(`check-rules-bite: ${tool} did not report the planted violation (${rule}):\n${output}`);
    }
  }
} finally {
  cleanup();
}
if (failed) process.exitCode = 1;
else console.log('check-rules-bite: a planted layer violation and a floating promise both fail the check');
