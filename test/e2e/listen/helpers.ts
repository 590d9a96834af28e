// A listener running in this process (run() with live streams, stopped by a Ctrl-C) and a real local
// handler process (node, on a port of its own that survives a restart), for the listen tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { run } from '../../../src/run.js';
import { BIN, baseEnv } from '../../helpers/cli.js';
import { testIO, type TestIOOptions } from '../../helpers/io.js';
import { after, before } from 'node:test';
import type { SandboxOptions } from '../../../src/sandbox/index.js';
import { setupPortal, type ProfileFixture, type TestPortal } from '../../helpers/portal.js';

/** Stops of the listeners still running (a failed test must not leave one behind: the run would hang). */
const running = new Set<{ stop(): void; done: Promise<unknown> }>();

/** Fast polling for tests (the default is derived from the portal's budget: 1 s). */
export const FAST = { B24_LISTEN_POLL_MS: '100' };

export interface RunningListener {
  stdout(): string;
  stderr(): string;
  /** Ctrl-C; resolves with the exit code */
  stop(): Promise<number>;
  done: Promise<number>;
}

/** `b24-events listen ARGS` in this process, against the portal's config folder. */
export function listen(
  portal: TestPortal,
  args: string[],
  options: { env?: Record<string, string>; now?: () => number; tty?: TestIOOptions } = {},
): RunningListener {
  const io = testIO(options.tty);
  const controller = new AbortController();
  const env = { ...baseEnv(portal.configDir), ...FAST, ...options.env };
  const done = run(['listen', ...args], { io, env, signal: controller.signal, ...(options.now ? { now: options.now } : {}) });
  const entry = { stop: () => controller.abort(), done };
  running.add(entry);
  void done.finally(() => running.delete(entry));
  return {
    stdout: () => io.stdout.text(),
    stderr: () => io.stderr.text(),
    stop: () => {
      controller.abort();
      return done;
    },
    done,
  };
}

/** Waits until the listener's bindings are on the portal (it announced itself). */
export async function ready(listener: { stderr(): string }): Promise<void> {
  await until(() => /^Listening for /m.test(listener.stderr()), `the listener to start:\n${listener.stderr()}`);
}

/**
 * Waits until the listener polls steadily: its start-up exchanges (taking over reserved batches, the
 * first reads) are behind it, so a fault armed now hits a plain poll.
 */
export async function polling(portal: TestPortal): Promise<void> {
  const from = portal.sandbox.requestLog().length;
  await until(
    () =>
      portal.sandbox
        .requestLog()
        .slice(from)
        .some((entry) => entry.method === 'event.offline.get'),
    'the listener to poll',
  );
}

export interface Received {
  path: string;
  body: string;
  fields: URLSearchParams;
}

export interface HandlerProcess {
  url: string;
  port: number;
  received: Received[];
  pid: number;
  /** kills the process (it refuses connections until `restart`) */
  kill(): Promise<void>;
  /** starts it again on the same port */
  restart(): Promise<void>;
  close(): Promise<void>;
}

// Answers 200 "ok", or 500 with a two-line body on the paths FAIL_PATHS names, a second late on the paths
// SLOW_PATHS names; logs each request as JSON when it has arrived (before answering).
const HANDLER = `
const fail = (process.env.FAIL_PATHS || '').split(',');
const slow = (process.env.SLOW_PATHS || '').split(',');
require('http').createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    process.stdout.write(JSON.stringify({ path: req.url, body }) + '\\n');
    const bad = fail.includes(req.url);
    const answer = () => res.writeHead(bad ? 500 : 200, { 'content-type': 'text/plain' }).end(bad ? 'Internal error: no such deal\\nat handler.js:1' : 'ok');
    setTimeout(answer, slow.includes(req.url) ? 1000 : 0);
  });
}).listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\\n'));
`;

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

/** A real handler process (node http) on loopback. */
export async function handlerProcess(options: { failPaths?: string[] | undefined; slowPaths?: string[] | undefined } = {}): Promise<HandlerProcess> {
  const port = await freePort();
  const received: Received[] = [];
  let child: ChildProcess | undefined;
  const start = async () => {
    const proc = spawn(process.execPath, ['-e', HANDLER], {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        FAIL_PATHS: (options.failPaths ?? []).join(','),
        SLOW_PATHS: (options.slowPaths ?? []).join(','),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child = proc;
    let buffer = '';
    let up = false;
    proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        if (line === 'ready') up = true;
        else {
          const { path, body } = JSON.parse(line) as { path: string; body: string };
          received.push({ path, body, fields: new URLSearchParams(body) });
        }
      }
    });
    await until(() => up, 'the handler process to listen');
  };
  const kill = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const closed = new Promise((resolve) => proc.once('close', resolve));
    proc.kill('SIGKILL');
    await closed;
  };
  await start();
  return { url: `http://127.0.0.1:${port}`, port, received, pid: child?.pid ?? 0, kill, restart: start, close: kill };
}

/** Polls until `condition` holds (or fails the test after `ms`). */
export async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The offline bindings of the app on the sandbox: [event, connector]. */
export function offlineBindings(portal: TestPortal): [string, string][] {
  return (portal.sandbox.handlers(portal.app.clientId) as { EVENT_NAME: string; EVENT_HANDLER: string; CONNECTOR_ID: string }[])
    .filter((h) => h.EVENT_HANDLER === '')
    .map((h) => [h.EVENT_NAME, h.CONNECTOR_ID]);
}

/** Queue rows of the app (every connector). */
export function queueRows(portal: TestPortal): { EVENT_NAME: string; CONNECTOR_ID: string; PROCESS_ID: string; ERROR: number; EVENT_DATA: unknown }[] {
  return portal.sandbox.queue(portal.app.clientId) as never;
}

export interface SpawnedListener {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The built binary's `listen ARGS`: for what only a process shows (signals, a kill). */
export function spawnListen(portal: TestPortal, args: string[], env: Record<string, string> = {}): SpawnedListener {
  const child = spawn(process.execPath, [BIN, 'listen', ...args], {
    env: { ...baseEnv(portal.configDir), ...FAST, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const entry = { stop: () => child.kill('SIGKILL'), done: Promise.resolve() };
  running.add(entry);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(entry);
      resolve({ code, signal });
    });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

export interface ListenFixture {
  readonly portal: TestPortal;
  readonly hook: HandlerProcess;
}

/** A sandbox portal with the admin profile and a real handler process, for the tests of one suite. */
export function listenFixture(
  options: SandboxOptions & { scopes?: string[]; profile?: Partial<ProfileFixture>; failPaths?: string[]; slowPaths?: string[] } = {},
): ListenFixture {
  const { profile, failPaths, slowPaths, ...portalOptions } = options;
  let portal: TestPortal | undefined;
  let hook: HandlerProcess | undefined;
  before(async () => {
    portal = await setupPortal(portalOptions);
    portal.writeProfile('admin', profile);
    hook = await handlerProcess({ failPaths, slowPaths });
  });
  after(async () => {
    const left = [...running];
    for (const entry of left) entry.stop();
    await Promise.all(left.map((entry) => entry.done));
    await hook?.close();
    await portal?.close();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the fixture is used before its suite started');
    return value;
  };
  return {
    get portal() {
      return ready(portal);
    },
    get hook() {
      return ready(hook);
    },
  };
}
