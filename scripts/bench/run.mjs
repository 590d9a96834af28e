// Runs every scripts/bench/*.bench.mjs (or those whose name contains an argument), one after another,
// so figures are not disturbed by each other. A bench exits non-zero when it misses its target.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.mjs'))
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort();
let failed = 0;
for (const name of benches) {
  console.log(`\n=== ${name}`);
  const result = spawnSync(process.execPath, ['--expose-gc', `${dir}${name}`], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
console.log(`\n${benches.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
