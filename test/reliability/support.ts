// Shared pieces of the reliability suite: a spawned CLI a test can signal, fake lock owners, waiting.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, baseEnv } from '../helpers/cli.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds (polling), or fails after `ms`. */
export async function until(condition: () => boolean, ms = 10_000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export interface Spawned {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

/** The built binary, with the clean test environment for `configDir`; the test holds the process. */
export function spawnBin(args: string[], configDir: string, env: Record<string, string> = {}): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...baseEnv(configDir), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** A lock folder as another b24-events process leaves it, with its heartbeat `ageMs` old. */
export function fakeLock(configDir: string, owner: { pid: number; host: string }, ageMs: number): string {
  const dir = join(configDir, 'config.json.lock');
  mkdirSync(dir, { mode: 0o700 });
  const file = join(dir, 'owner.json');
  writeFileSync(file, JSON.stringify({ ...owner, nonce: `fake-${owner.pid}`, since: new Date().toISOString() }));
  const then = new Date(Date.now() - ageMs);
  utimesSync(file, then, then);
  utimesSync(dir, then, then);
  return dir;
}
