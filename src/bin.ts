import { CommanderError } from 'commander';
import { Context } from './context.js';
import { createProgram } from './cli.js';
import { ExitCode, InterruptedError } from './errors.js';
import { formatError, toCliError } from './error-report.js';
import { processIO } from './output/io.js';

/**
 * Runs the CLI and returns the exit code. The only place that maps errors to exit codes; the
 * shim in bin/ sets `process.exitCode`, nothing calls `process.exit` mid-flight.
 */
export async function main(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const ctx = new Context(processIO(), env);
  let firstSignalAt = 0;
  const onSignal = () => {
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
    process.exit(ExitCode.interrupted); // a real second Ctrl-C: stop now
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const onStdoutError = (error: NodeJS.ErrnoException) => exitQuietlyOnClosedPipe(ctx, error);
  process.stdout.on('error', onStdoutError);
  try {
    const program = await createProgram(ctx, argv);
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    return report(ctx, error);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await ctx.close();
  }
}

/** `b24-events handlers | head -1`: the reader left; that is not an error worth a stack trace. */
function exitQuietlyOnClosedPipe(ctx: Context, error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE' && ctx.handlesClosedStdout) return; // the command settles, then returns
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
}

function report(ctx: Context, error: unknown): number {
  if (error instanceof CommanderError) {
    // commander already printed its message through configureOutput
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  const cliError = toCliError(ctx.signal.aborted && !(error instanceof Error && 'exitCode' in error) ? new InterruptedError() : error);
  if (cliError.message) {
    ctx.io.stderr.write(formatError(cliError, (text) => ctx.redactor.text(text), ctx.debugEnabled));
  }
  return cliError.exitCode;
}
