import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, baseEnv, type CliResult } from '../../helpers/cli.js';
import { setupPortal, type TestPortal } from '../../helpers/portal.js';
import type { SandboxOptions } from '../../../src/sandbox/index.js';

export const EVENT = 'ONCRMDEALUPDATE';

export interface QueueRow {
  ID: number;
  MESSAGE_ID: string;
  EVENT_NAME: string;
  EVENT_DATA: { FIELDS: { ID: number } };
  PROCESS_ID: string;
  ERROR: number;
}

/** A portal whose app has an offline subscription to EVENT, a default profile, and a scratch folder. */
export async function offlinePortal(options: SandboxOptions = {}): Promise<TestPortal & { scratch: string }> {
  const portal = await setupPortal(options);
  portal.writeProfile('admin');
  const bound = await portal.cli(['bind', EVENT, '--offline']);
  if (bound.code !== 0) throw new Error(`bind failed: ${bound.stderr}`);
  const scratch = mkdtempSync(join(tmpdir(), 'b24-offline-'));
  const close = portal.close.bind(portal);
  return Object.assign(portal, {
    scratch,
    close: async () => {
      await close();
      rmSync(scratch, { recursive: true, force: true });
    },
  });
}

/** Queues deal updates with ids from..to (each a distinct message). */
export function enqueue(portal: TestPortal, from: number, to: number, event = EVENT): void {
  for (let id = from; id <= to; id += 1) portal.sandbox.trigger(event, { FIELDS: { ID: id } });
}

export function queueRows(portal: TestPortal): QueueRow[] {
  return portal.sandbox.queue(portal.app.clientId) as QueueRow[];
}

/** Deal ids of the rows still queued. */
export function queuedDealIds(portal: TestPortal): number[] {
  return queueRows(portal).map((row) => row.EVENT_DATA.FIELDS.ID);
}

/** Deal ids in NDJSON text (one event per line). */
export function dealIds(ndjson: string): number[] {
  return ndjson
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { EVENT_DATA: { FIELDS: { ID: number } } }).EVENT_DATA.FIELDS.ID);
}

export function readLines(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
export const sorted = (ids: number[]): number[] => [...ids].sort((a, b) => a - b);
export const unique = (ids: number[]): number[] => sorted([...new Set(ids)]);

/** Portal requests by method name (batch counts as one, like the limiter does). */
export function requestsOf(portal: TestPortal, ...methods: string[]): number {
  return portal.sandbox.requestLog().filter((entry) => methods.includes(entry.method)).length;
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  done: Promise<CliResult>;
}

/** Starts the CLI without waiting, so a test can signal it mid-run. */
export function startCli(portal: TestPortal, args: string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...baseEnv(portal.configDir), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

/** Polls until `condition` holds (or fails the test after `ms`). */
export async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
