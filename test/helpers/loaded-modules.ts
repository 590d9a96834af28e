import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './cli.js';

/**
 * Preloaded into the binary: records every module it resolves (URLs, one per line) into
 * $B24_TEST_MODULE_LOG. Node 22.15+/23.5+ have synchronous in-thread hooks (`registerHooks`, which
 * also see `require`); Node 20 registers the same resolve hook off-thread (`register`).
 */
const RECORDER = `
import { appendFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
const file = process.env.B24_TEST_MODULE_LOG;
if (typeof nodeModule.registerHooks === 'function') {
  nodeModule.registerHooks({ resolve(specifier, context, next) { const found = next(specifier, context); appendFileSync(file, found.url + '\\n'); return found; } });
} else {
  const hooks = "import { appendFileSync } from 'node:fs'; let file; export function initialize(data) { file = data.file; } export async function resolve(specifier, context, next) { const found = await next(specifier, context); appendFileSync(file, found.url + '\\\\n'); return found; }";
  nodeModule.register('data:text/javascript,' + encodeURIComponent(hooks), { data: { file } });
}`;

export interface LoadedRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** every module the run resolved after the entry, built-ins aside: package names for node_modules, `dist/src/...` paths for ours */
  modules: string[];
}

/** Runs the built binary and lists the modules it loaded. */
export function runRecordingModules(args: string[], env: Record<string, string>): LoadedRun {
  const dir = mkdtempSync(join(tmpdir(), 'b24-modules-'));
  const log = join(dir, 'modules.txt');
  try {
    const result = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(RECORDER)}`, BIN, ...args], {
      env: { ...env, B24_TEST_MODULE_LOG: log },
      encoding: 'utf8',
    });
    let text = '';
    try {
      text = readFileSync(log, 'utf8');
    } catch {
      // nothing resolved after the preload: the shim answered alone
    }
    // Node's own built-ins are part of the binary, not loaded code (Node 22's in-thread hooks also see the shim's require of them)
    const urls = text.split('\n').filter((url) => url && !url.startsWith('node:'));
    const modules = [...new Set(urls.map(shortName))].filter((name) => name !== 'bin/b24-events.js');
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, modules };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function shortName(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1] as string;
  const ours = /\/((?:dist\/src|bin)\/.*)$/.exec(url);
  return ours ? (ours[1] as string) : url;
}
