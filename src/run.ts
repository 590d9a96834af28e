import { CommanderError } from 'commander';
import { Context, type RunParts } from './context.js';
import { createProgram, expandAliases } from './cli.js';
import { ExitCode, InterruptedError } from './errors.js';
import { toCliError } from './error-report.js';
import { loadColor } from './output/color.js';

export type { RunParts } from './context.js';

/**
 * Runs one command line in this process and returns its exit code. Nothing here touches the
 * process (signals, exit, its streams): that is `bin.ts`'s job, so tests can call this directly.
 */
export async function run(argv: string[], parts: RunParts): Promise<number> {
  const ctx = new Context(parts.io, parts.env, parts.now);
  if (parts.prompter) ctx.setPrompter(parts.prompter);
  const interrupt = () => ctx.abort.abort(new InterruptedError());
  if (parts.signal?.aborted) interrupt();
  parts.signal?.addEventListener('abort', interrupt, { once: true });
  try {
    return await execute(ctx, argv);
  } finally {
    parts.signal?.removeEventListener('abort', interrupt);
  }
}

/** Parses and runs the command on a prepared context; the one place that turns errors into exit codes. */
export async function execute(ctx: Context, given: string[]): Promise<number> {
  const argv = expandAliases(given);
  // A command that runs others (the demo) gets this runner: it cannot import run.ts itself (a cycle).
  ctx.runLine = run;
  try {
    await loadColor(ctx.env, ctx.io);
    const program = await createProgram(ctx, argv);
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    return report(ctx, error);
  } finally {
    await ctx.close();
  }
}

function report(ctx: Context, error: unknown): number {
  if (error instanceof CommanderError) {
    // commander already printed its message through configureOutput
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  const cliError = toCliError(ctx.signal.aborted && !(error instanceof Error && 'exitCode' in error) ? new InterruptedError() : error);
  // Cancelling is the user's choice, not a failure: said plainly, without "error:".
  if (cliError instanceof InterruptedError && cliError.message) ctx.printer.note(cliError.message.charAt(0).toUpperCase() + cliError.message.slice(1));
  else if (cliError.message) ctx.printer.error(cliError);
  return cliError.exitCode;
}
