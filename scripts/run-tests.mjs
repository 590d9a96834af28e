// Runs every compiled test file with node's built-in runner. Node 20 has no glob support in `--test`,
// so the file list is collected here; extra arguments (e.g. a path fragment) filter the list.
// The tests get a temporary folder of their own (TMPDIR); whatever they leave in it fails the run.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

// Most of the suite's time is waiting (back-off, polling, child processes: 81 s of CPU in 156 s of
// files run one by one), so more files run at once than there are cores, and the files that wait
// longest go first, so that none of them starts last and stretches the run.
const CONCURRENCY = 6;
const LONG_WAITS = ['reliability/', 'e2e/listen/', 'e2e/offline/'];
const waits = (file) => {
  const at = LONG_WAITS.findIndex((folder) => file.includes(folder));
  return at === -1 ? 0 : LONG_WAITS.length - at;
};

const filters = process.argv.slice(2);
const files = findTests('dist/test')
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort((a, b) => waits(b) - waits(a) || a.localeCompare(b));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const scratch = mkdtempSync(join(tmpdir(), 'b24-events-tests-'));
const args = ['--test', `--test-concurrency=${CONCURRENCY}`, ...files];
// npm and tsc turn on Node 22+'s compile cache, which would write into the tests' TMPDIR
const env = { ...process.env, TMPDIR: scratch, NODE_DISABLE_COMPILE_CACHE: '1' };
const result = spawnSync(process.execPath, args, { stdio: 'inherit', env });
const left = readdirSync(scratch);
rmSync(scratch, { recursive: true, force: true });
if (left.length > 0) console.error(`tests left ${left.length} temporary entries behind: ${left.slice(0, 10).join(', ')}`);
process.exitCode = result.status === 0 && left.length > 0 ? 1 : (result.status ?? 1);
