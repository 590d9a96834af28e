// Start-up cost against a bare `node -e 0` (medians of interleaved runs, so machine noise hits every case
// alike), in a clean environment as on a user's machine (fresh HOME, no config): `--version` and `--help`
// within 1.15x, any command's `--help` within 2x, `status` without credentials within 2.5x.
import { mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/b24-events.js', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 31);
const home = mkdtempSync(join(tmpdir(), 'b24-bench-home-'));
const cases = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'b24-events --version', args: [bin, '--version'], limit: 1.15 },
  { name: 'b24-events --help', args: [bin, '--help'], limit: 1.15 },
  { name: 'b24-events bind --help', args: [bin, 'bind', '--help'], limit: 2 },
  { name: 'b24-events offline drain --help', args: [bin, 'offline', 'drain', '--help'], limit: 2 },
  { name: 'b24-events profile add --help', args: [bin, 'profile', 'add', '--help'], limit: 2 },
  { name: 'b24-events sandbox --help', args: [bin, 'sandbox', '--help'], limit: 2 },
  { name: 'b24-events help offline drain', args: [bin, 'help', 'offline', 'drain'], limit: 2 },
  { name: 'b24-events status (no credentials)', args: [bin, 'status'], limit: 2.5, exit: 4 },
];
const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), NO_COLOR: '1' };
const samples = cases.map(() => []);
try {
  for (let i = 0; i < runs; i += 1) {
    cases.forEach((c, index) => {
      const started = process.hrtime.bigint();
      const result = spawnSync(process.execPath, c.args, { env, stdio: 'ignore' });
      if (result.status !== (c.exit ?? 0)) throw new Error(`${c.name} exited ${result.status}`);
      samples[index].push(Number(process.hrtime.bigint() - started) / 1e6);
    });
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const base = median(samples[0]);
let ok = true;
cases.forEach((c, index) => {
  const ms = median(samples[index]);
  const ratio = ms / base;
  const verdict = c.limit ? `${ratio <= c.limit ? 'PASS' : 'FAIL'} (target <= ${c.limit}x)` : '(reference)';
  if (c.limit && ratio > c.limit) ok = false;
  console.log(`${c.name.padEnd(36)} ${ms.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}x  ${verdict}`);
});
console.log(`(medians of ${runs} interleaved runs each, Node ${process.version}, fresh HOME)`);
process.exitCode = ok ? 0 : 1;
