import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { demoAppProfile } from '../../config/sandbox-profiles.js';
import { ConfigStore } from '../../config/store.js';
import type { Context } from '../../context.js';
import { CliError, ExitCode } from '../../errors.js';
import { seedDemo, startSandbox, type Sandbox } from '../../sandbox/index.js';
import { attach, examples, withOptions } from '../shared/options.js';
import { startReceiver } from './receiver.js';
import { runTour, StepFailed, type Tour } from './tour.js';

export const demoOptionsSchema = z.object({});
export type DemoOptions = z.infer<typeof demoOptionsSchema>;

/** What the tour's commands may see of the user's environment: how to print, never whose credentials. */
const PASSED_ON = ['PATH', 'HOME', 'TERM', 'LANG', 'LC_ALL', 'LC_CTYPE', 'NO_COLOR', 'FORCE_COLOR', 'COLUMNS'];

/**
 * `demo`: the tool at work in a few seconds, on a throwaway in-process sandbox and a temporary config
 * folder; the user's profiles and B24_* variables are never read or written.
 */
export async function runDemo(_opts: DemoOptions, ctx: Context): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'b24-events-demo-'));
  const sandbox = await startSandbox({ rateLimit: false });
  const receiver = await startReceiver();
  const tour: Tour = { ctx, env: tourEnv(ctx, folder), folder, sandbox, receiver, results: [] };
  try {
    if (!ctx.globals.json) ctx.printer.note(`A tour of b24-events on a throwaway local portal (${sandbox.url}); nothing of yours is read or written.`);
    await saveDemoProfile(ctx, folder, sandbox);
    await runTour(tour).catch((error: unknown) => {
      if (!(error instanceof StepFailed)) throw error;
      throw new CliError(`the demo stopped: \`${error.command}\` exited ${error.exitCode}`, ExitCode.failure, {
        hint: 'see its output above; please report it',
      });
    });
  } finally {
    await Promise.all([receiver.close(), sandbox.close()]);
    rmSync(folder, { recursive: true, force: true });
  }
  if (ctx.globals.json) return ctx.printer.printJson({ ok: true, portal: sandbox.url, steps: tour.results });
  ctx.printer.note('\nThat was a throwaway portal, gone now. Next:');
  ctx.printer.note('  b24-events init        # set up your own portal (guided)');
  ctx.printer.note('  b24-events sandbox     # keep a local portal running to try things, or to test your handlers');
}

function tourEnv(ctx: Context, folder: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(PASSED_ON.flatMap((name) => (ctx.env[name] === undefined ? [] : [[name, ctx.env[name]]])));
  if (!ctx.globals.color) env.NO_COLOR = '1';
  return { ...env, B24_EVENTS_CONFIG_DIR: folder, B24_PROFILE: 'demo', B24_NO_PROMPT: '1' };
}

/** The demo application's credentials go into the temporary folder as profile `demo`, never onto the screen. */
async function saveDemoProfile(ctx: Context, folder: string, sandbox: Sandbox): Promise<void> {
  const { app, tokens } = seedDemo(sandbox);
  ctx.redactor.add(app.clientSecret, app.applicationToken, tokens.access_token, tokens.refresh_token);
  await new ConfigStore(folder).update((config) => {
    config.profiles.demo = { ...demoAppProfile(sandbox, app, tokens), admin: true };
  });
}

export function demoCommand(ctx: Context, run = runDemo): Command {
  const command = new Command('demo')
    .description('Show the tool at work on a throwaway local portal, in a few seconds (nothing of yours is touched)')
    .addHelpText(
      'after',
      examples('b24-events demo', "b24-events demo --json | jq -r '.steps[].command'   # the commands it ran, with their output and exit codes"),
    );
  return withOptions(command, demoOptionsSchema, (opts) => run(opts, ctx));
}

export function register(program: Command, ctx: Context): void {
  attach(program, demoCommand(ctx));
}
