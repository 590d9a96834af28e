import { CommanderError } from 'commander';
import { Context } from './context.js';
import { createProgram } from './cli.js';
import { ExitCode, InterruptedError } from './errors.js';
import { formatError, toCliError } from './error-report.js';
import { processIO } from './output/io.js';

const SIGNAL_ECHO_MS = 250;

/**
 * Runs the CLI and returns the exit code. The only place that maps errors to exit codes; the
 * shim in bin/ sets `process.exitCode`, nothing calls `process.exit` mid-flight.
 */
export async function main(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const ctx = new Context(processIO(), env);
  let firstSignalAt = 0;
  const onSignal = () => {
    if (!ctx.signal.aborted) {
      firstSignalAt = Date.now();
      return ctx.abort.abort(new InterruptedError());
    }
    // A second Ctrl-C stops at once. conf's atomic writer (when-exit) re-sends the first signal to
    // the process right away; that echo must not turn a graceful stop into a hard one.
    if (Date.now() - firstSignalAt > SIGNAL_ECHO_MS) process.exit(ExitCode.interrupted);
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
