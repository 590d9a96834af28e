// Compiles src/ and test/ into dist/ with the project's own TypeScript; a stale dist/ is removed first
// so deleted sources never linger as runnable files. Root `--help` is then rendered once into
// dist/root-help.txt and every command's help into dist/help.json, which bin/b24-events.js lays out and
// serves without loading commander or any command module (start-up budget).
import { spawnSync } from 'node:child_process';
import { rmSync, chmodSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', root], { stdio: 'inherit', cwd: root });
const bin = fileURLToPath(new URL('../bin/b24-events.js', import.meta.url));
chmodSync(bin, 0o755);
const help = spawnSync(process.execPath, [bin, 'help'], {
  cwd: root,
  encoding: 'utf8',
  // rendered without a width limit; the shim lays it out for the terminal it prints to
  env: { PATH: process.env.PATH, NO_COLOR: '1', B24_EVENTS_NO_HELP_CACHE: '1', COLUMNS: '1000000' },
});
if (help.status === 0) writeFileSync(new URL('../dist/root-help.txt', import.meta.url), help.stdout);
else console.error(`warning: could not render root help (exit ${help.status}): ${help.stderr}`);
const renderer = new URL('../dist/src/help-cache.js', import.meta.url).href;
const commands = spawnSync(
  process.execPath,
  ['--input-type=module', '-e', `const { renderHelp } = await import(${JSON.stringify(renderer)}); process.stdout.write(JSON.stringify(await renderHelp()))`],
  {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, NO_COLOR: '1' },
  },
);
if (commands.status === 0) writeFileSync(new URL('../dist/help.json', import.meta.url), commands.stdout);
else console.error(`warning: could not render command help (exit ${commands.status}): ${commands.stderr}`);
process.exitCode = result.status ?? 1;
