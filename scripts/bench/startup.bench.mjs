// Start-up cost: `b24-events --version` must stay within 1.3x and `--help` within 1.5x of a bare
// `node -e 0` (medians of interleaved runs, so machine noise hits every case alike).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/b24-events.js', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 31);
const cases = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'b24-events --version', args: [bin, '--version'], limit: 1.3 },
  { name: 'b24-events --help', args: [bin, '--help'], limit: 1.5 },
  { name: 'b24-events bind --help', args: [bin, 'bind', '--help'] },
];
const env = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' };
const samples = cases.map(() => []);
for (let i = 0; i < runs; i += 1) {
  cases.forEach((c, index) => {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, c.args, { env, stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`${c.name} exited ${result.status}`);
    samples[index].push(Number(process.hrtime.bigint() - started) / 1e6);
  });
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const base = median(samples[0]);
let ok = true;
cases.forEach((c, index) => {
  const ms = median(samples[index]);
  const ratio = ms / base;
  const verdict = c.limit ? (ratio <= c.limit ? `PASS (limit ${c.limit}x)` : `FAIL (limit ${c.limit}x)`) : '';
  if (c.limit && ratio > c.limit) ok = false;
  console.log(`${c.name.padEnd(24)} ${ms.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}x  ${verdict}`);
});
console.log(`(${runs} interleaved runs each, Node ${process.version})`);
process.exitCode = ok ? 0 : 1;
