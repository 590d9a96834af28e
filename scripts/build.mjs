// Compiles src/ and test/ into dist/ with the project's own TypeScript; a stale dist/ is removed first
// so deleted sources never linger as runnable files.
import { spawnSync } from 'node:child_process';
import { rmSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', root], { stdio: 'inherit', cwd: root });
chmodSync(new URL('../bin/b24-events.js', import.meta.url), 0o755);
process.exitCode = result.status ?? 1;
