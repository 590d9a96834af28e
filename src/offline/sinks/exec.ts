import type { ChildProcess } from 'node:child_process';
import { closeSync } from 'node:fs';
import { SinkStopped, type OfflineEvent, type Sink, type Verdict } from '../types.js';
import { guardMisconfiguration } from './guard.js';
import { EventFiles } from './event-file.js';
import { Reaper } from './reaper.js';
import { recordJson } from './record.js';

export interface ExecSinkOptions {
  /** shell command line, run once per event */
  command: string;
  concurrency: number;
  timeoutMs: number;
  /** environment for the command (secrets already removed) */
  env: NodeJS.ProcessEnv;
  /** where the command's stdout and stderr go (the CLI's stderr, around its progress line) */
  output: (chunk: Buffer) => void;
}

/**
 * Runs a shell command per event with the event's JSON on stdin: exit 0 = handled; 126/127 (the shell
 * could not run it), or the same failure for the first events, stop the drain instead of failing
 * every event. The command's output goes to stderr (stdout stays free for the --json summary). It
 * runs in its own process group, so a Ctrl-C at the terminal lets the event in hand finish instead of
 * killing it; a reaper stops it if the drain dies, and its stdin is a file that holds the whole event
 * before it starts (see EventFiles).
 */
export function execSink(options: ExecSinkOptions): Sink {
  const reaper = new Reaper();
  const files = new EventFiles(() => reaper.scratchFolder());
  const sink: Sink = {
    concurrency: options.concurrency,
    handle: (event) => runOnce(options, event, files, reaper),
    async close() {
      files.remove();
      await reaper.close();
    },
  };
  // `--exec 'php handle.php'` without handle.php exits 1 for every event: the command is at fault
  return guardMisconfiguration(sink, 'the command looks wrong');
}

/** Shell exit codes for "command not found" and "not executable": the command, not the event, is at fault. */
const CANNOT_RUN = new Set([126, 127]);

function runOnce(options: ExecSinkOptions, event: OfflineEvent, files: EventFiles, reaper: Reaper): Promise<Verdict> {
  // serialised before anything starts: a record with no JSON form fails without running the command
  const json = recordJson(event);
  if (typeof json !== 'string') return Promise.resolve(json);
  let stdin: number;
  try {
    stdin = files.hold(`${json}\n`);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return Promise.reject(new SinkStopped(`cannot write the event for the command into ${files.folder()} (${why}): nothing was flagged`));
  }
  return new Promise((resolve, reject) => {
    const env = { ...options.env, B24_EVENT_NAME: event.EVENT_NAME, B24_EVENT_ID: String(event.ID), B24_MESSAGE_ID: event.MESSAGE_ID };
    let child: ChildProcess;
    try {
      child = reaper.spawn(options.command, { stdin, env });
    } finally {
      closeSync(stdin); // the child has its own copy
    }
    child.stdout?.on('data', options.output);
    child.stderr?.on('data', options.output);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ handled: false, reason: `cannot run the command: ${error.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && !timedOut) return resolve({ handled: true });
      // flagging every event because of a typo would empty the queue into error records
      if (code !== null && CANNOT_RUN.has(code)) return reject(new SinkStopped(`the command could not be run (shell exit ${code}): nothing was flagged`));
      const why = timedOut ? `timed out after ${options.timeoutMs / 1000}s` : signal ? `killed by ${signal}` : `exit ${code}`;
      resolve({ handled: false, reason: `command failed (${why})` });
    });
  });
}

/** Kills a handler started with `detached: true` together with whatever it started. */
export function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Variables that hold credentials: a per-event command has no business seeing them. */
const SECRET_ENV = ['B24_CLIENT_SECRET', 'B24_REFRESH_TOKEN', 'B24_ACCESS_TOKEN', 'B24_APPLICATION_TOKEN'];

/** The environment the command gets: ours without credentials. */
export function commandEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of SECRET_ENV) delete copy[name];
  return copy;
}
