import type { ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { SinkStopped, type OfflineEvent, type Sink, type Verdict } from '../types.js';
import { killGroup } from './exec.js';
import { guardMisconfiguration } from './guard.js';
import { GroupWriter } from './lines.js';
import { Reaper } from './reaper.js';
import { recordJson } from './record.js';

export interface PipeSinkOptions {
  /** shell command line, started once */
  command: string;
  /** events written and not yet acknowledged, at most */
  window: number;
  /** no acknowledgement for this long while events are in flight: the handler hangs */
  timeoutMs: number;
  /** environment for the command (secrets already removed) */
  env: NodeJS.ProcessEnv;
  /** the handler's stderr, and stdout lines that are not acknowledgements (the CLI's stderr) */
  output: (chunk: Buffer | string) => void;
}

interface Waiter {
  resolve: (verdict: Verdict) => void;
  reject: (error: SinkStopped) => void;
}

/** How long `close` waits for the handler to exit after its stdin ended. */
const EXIT_GRACE_MS = 5_000;

/**
 * One long-running handler process for the whole drain (`--pipe CMD`): events go to its stdin as
 * NDJSON (one record per line, as the stdout sink prints them); it answers one line per event on
 * stdout, `{"id": "<ID>", "ok": true}` or `{"id": …, "ok": false, "error": "…"}`, in any order. Only
 * an acknowledged event is confirmed. The process exiting, or sending nothing for `timeoutMs` while
 * events wait, stops the drain: the events in flight stay reserved. It runs in its own process group,
 * so a Ctrl-C at the terminal lets it finish the events in hand (a reaper stops it if the drain
 * dies); it is started on the first event.
 */
export function pipeSink(options: PipeSinkOptions): Sink {
  const handler = new PipeHandler(options);
  const sink: Sink = { concurrency: options.window, handle: (event) => handler.handle(event), close: () => handler.close() };
  // a handler that answers ok:false the same way for every event from the start is at fault, not the events
  return guardMisconfiguration(sink, 'the handler looks wrong');
}

class PipeHandler {
  private child: ChildProcess | undefined;
  private writer: GroupWriter | undefined;
  private readonly waiting = new Map<string, Waiter>();
  private stopped: SinkStopped | undefined;
  private exited: Promise<void> | undefined;
  private partial = '';
  private lastAnswer = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private readonly reaper = new Reaper();

  constructor(private readonly options: PipeSinkOptions) {}

  handle(event: OfflineEvent): Promise<Verdict> {
    if (this.stopped) return Promise.reject(this.stopped);
    // serialised before it is awaited: a record with no JSON form fails alone and waits for no answer
    const json = recordJson(event);
    if (typeof json !== 'string') return Promise.resolve(json);
    const writer = this.writer ?? this.start();
    if (this.waiting.size === 0) this.lastAnswer = Date.now();
    return new Promise<Verdict>((resolve, reject) => {
      this.waiting.set(String(event.ID), { resolve, reject });
      writer.push(`${json}\n`);
    });
  }

  async close(): Promise<void> {
    clearInterval(this.watchdog);
    const child = this.child;
    if (!child || !this.exited) return;
    this.writer?.flush();
    child.stdin?.end();
    const timer = setTimeout(() => killGroup(child.pid), EXIT_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
    await this.reaper.close();
  }

  private start(): GroupWriter {
    const child = this.reaper.spawn(this.options.command, { stdin: 'pipe', env: this.options.env });
    this.child = child;
    // a handler that died closes the pipe under us; that is reported through 'exit', not here
    child.stdin?.on('error', () => {});
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.read(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.options.output(chunk));
    this.exited = new Promise((resolve) => {
      child.on('error', (error) => {
        this.stop(`the --pipe handler could not be started (${error.message})`);
        resolve();
      });
      child.on('close', (code, signal) => {
        this.stop(`the --pipe handler exited (${signal ? `killed by ${signal}` : `exit ${code}`})`);
        resolve();
      });
    });
    this.watchdog = setInterval(() => this.checkAnswering(), Math.min(1000, this.options.timeoutMs)).unref();
    this.writer = new GroupWriter(child.stdin as Writable); // stdin is a pipe here
    return this.writer;
  }

  /** Acknowledgement lines settle their events; any other line is the handler's own output. */
  private read(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const ack = parseAck(line);
      const waiter = ack && this.waiting.get(ack.id);
      if (!ack || !waiter) {
        if (line.trim() !== '') this.options.output(`${line}\n`);
        continue;
      }
      this.waiting.delete(ack.id);
      this.lastAnswer = Date.now();
      waiter.resolve(ack.ok ? { handled: true } : { handled: false, reason: ack.error });
    }
  }

  private checkAnswering(): void {
    if (this.waiting.size === 0 || Date.now() - this.lastAnswer < this.options.timeoutMs) return;
    this.stop(`the --pipe handler answered nothing for ${this.options.timeoutMs / 1000}s with events waiting; it was stopped`);
    killGroup(this.child?.pid);
  }

  /** Fails every event in flight: none of them is confirmed or flagged, they stay reserved. */
  private stop(why: string): void {
    clearInterval(this.watchdog);
    const pending = this.waiting.size;
    this.stopped ??= new SinkStopped(pending > 0 ? `${why}; ${pending} event(s) in flight were not acknowledged` : why);
    for (const waiter of this.waiting.values()) waiter.reject(this.stopped);
    this.waiting.clear();
  }
}

/** `{"id": …, "ok": true|false, "error": "…"}`, or undefined for any other line. */
function parseAck(line: string): { id: string; ok: boolean; error: string } | undefined {
  if (!line.trimStart().startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const { id, ok, error } = value as { id?: unknown; ok?: unknown; error?: unknown };
  if ((typeof id !== 'string' && typeof id !== 'number') || typeof ok !== 'boolean') return undefined;
  return { id: String(id), ok, error: typeof error === 'string' && error !== '' ? `handler: ${error}` : 'the handler answered ok: false' };
}
