// Runs every scripts/bench/*.bench.mjs (or those whose name contains an argument), one after another,
// so figures are not disturbed by each other. A bench exits non-zero when it misses its target.
// BENCH_SKIP_<NAME> leaves one out: BENCH_SKIP_LISTEN, BENCH_SKIP_FOLLOW, BENCH_SKIP_OFFLINE_DRAIN, …
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const skipKnob = (name) =>
  `BENCH_SKIP_${name
    .replace(/\.bench\.mjs$/, '')
    .replace(/\W/g, '_')
    .toUpperCase()}`;
const benches = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.mjs'))
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort();
for (const name of benches.filter((bench) => process.env[skipKnob(bench)])) console.log(`skipped ${name} (${skipKnob(name)})`);
const chosen = benches.filter((name) => !process.env[skipKnob(name)]);
let failed = 0;
for (const name of chosen) {
  console.log(`\n=== ${name}`);
  const result = spawnSync(process.execPath, ['--expose-gc', `${dir}${name}`], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
console.log(`\n${chosen.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
