import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/run.js';
import type { Prompter } from '../../src/prompts/prompter.js';
import { testIO, type TestIOOptions } from './io.js';

/** The built entry point, as users run it (compiled tests live in dist/test/helpers). */
export const BIN = fileURLToPath(new URL('../../../bin/b24-events.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  configDir: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
  /** run the built binary in a child process: for what only a process shows (signals, pipes, the shim) */
  spawn?: boolean;
  /** in-process only: terminals and width */
  tty?: Omit<TestIOOptions, 'input'>;
  /** in-process only: a scripted prompter */
  prompter?: Prompter;
  /** in-process only: the clock */
  now?: () => number;
  /** in-process only: aborting it is a Ctrl-C */
  signal?: AbortSignal;
}

/**
 * A clean environment: nothing from the developer's shell (no B24_* leaks in), no colour, no TTY,
 * and CI set so nothing can prompt.
 */
export function baseEnv(configDir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: configDir,
    B24_EVENTS_CONFIG_DIR: configDir,
    NO_COLOR: '1',
    CI: '1',
    LANG: 'C.UTF-8',
  };
}

function envFor(options: RunOptions): Record<string, string> {
  const env: Record<string, string> = { ...baseEnv(options.configDir) };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/**
 * Runs a command line in this process (the same `run` the binary calls) with captured streams, its
 * own environment and config folder; `spawn: true` runs the built binary instead.
 */
export async function runCli(args: string[], options: RunOptions): Promise<CliResult> {
  if (options.spawn) return spawnCli(args, options);
  const io = testIO({ ...options.tty, ...(options.input !== undefined ? { input: options.input } : {}) });
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 30_000);
  try {
    const code = await run(args, {
      io,
      env: envFor(options),
      signal: controller.signal,
      ...(options.prompter ? { prompter: options.prompter } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    return { code, signal: null, stdout: io.stdout.text(), stderr: io.stderr.text() };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the built CLI as a subprocess and captures everything. */
export function spawnCli(args: string[], options: RunOptions): Promise<CliResult> {
  const env = envFor(options);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A fresh config folder, removed by the returned cleanup. */
export function tempConfigDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'b24-events-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Asserts helper: the parsed single JSON document of stdout. */
export function parseJson<T = unknown>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not one JSON document:\n${result.stdout}\n--- stderr:\n${result.stderr}`);
  }
}
