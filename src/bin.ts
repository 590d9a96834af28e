import { setFlagsFromString } from 'node:v8';
import { Context } from './context.js';
import { ExitCode, InterruptedError } from './errors.js';
import { processIO } from './output/io.js';
import { execute } from './run.js';

/**
 * The process shell: real streams and environment, signals and a closed stdout, then `execute`.
 * It returns the exit code; the shim in bin/ sets `process.exitCode`, nothing exits mid-flight
 * except a second Ctrl-C and a reader that went away.
 */
export async function main(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  leanV8();
  const ctx = new Context(processIO(), env);
  const onSignal = signalHandler(ctx);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.stdout.on('error', (error: NodeJS.ErrnoException) => exitQuietlyOnClosedPipe(ctx, error));
  try {
    return await execute(ctx, argv);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * V8 settings for a short-lived CLI, set before anything runs (each flag exists in every Node this runs
 * on and is read when it matters, not only at start-up; scripts/bench/offline-drain.bench.mjs measures
 * the effect):
 * - undici parses HTTP with a WebAssembly build of llhttp, which V8 would optimise with TurboFan on the
 *   first request: ~34 MiB and ~60 ms for a parser that is fast enough on the baseline tier (Liftoff).
 * - a drain parses replies of megabytes; by default V8 then grows the young generation to 16 MiB
 *   semi-spaces and collects late. Optimising for size, and not growing the semi-spaces at all, keeps
 *   the heap near what is live (a drain's peak RSS ~50 MiB lower).
 * - TurboFan itself (--no-opt): the time goes to JSON and I/O, which are native; optimised JavaScript
 *   saves little there and costs ~5 MiB of compiler memory.
 */
function leanV8(): void {
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--optimize-for-size');
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--no-opt');
}

/** The first signal asks the command to stop gracefully; a real second one stops at once. */
function signalHandler(ctx: Context): () => void {
  let firstSignalAt = 0;
  return () => {
    const now = Date.now();
    if (!ctx.signal.aborted) {
      firstSignalAt = now;
      ctx.abort.abort(new InterruptedError());
      return;
    }
    // conf's atomic writer re-raises a signal right after handling it: that is not a second Ctrl-C.
    if (now - firstSignalAt < 500) return;
    if (ctx.inCriticalSection) {
      ctx.io.stderr.write('finishing a token refresh first, so the new token is not lost…\n');
      return;
    }
    ctx.hardStop();
    process.exit(ExitCode.interrupted);
  };
}

/** `b24-events handlers | head -1`: the reader left; that is not an error worth a stack trace. */
function exitQuietlyOnClosedPipe(ctx: Context, error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE' && ctx.handlesClosedStdout) return; // the command settles, then returns
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
}
