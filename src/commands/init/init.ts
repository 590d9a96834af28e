import { Command } from 'commander';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { DEFAULT_OAUTH_SERVER } from '../../config/schema.js';
import { ExitCode } from '../../errors.js';
import { attach, examples, withOptions } from '../shared/options.js';
import { addTokenOptions, tokenOptionsShape } from '../shared/token-flags.js';

export const initOptionsSchema = z.object({
  portal: z.string().optional(),
  clientId: z.string().trim().min(1, 'must not be empty').optional(),
  clientSecret: z.string().optional(),
  oauthServer: z.string().optional(),
  ...tokenOptionsShape,
  name: z.string().optional(),
  default: z.boolean().optional(),
  force: z.boolean().default(false),
  bind: z.union([z.string(), z.literal(false)]).optional(),
  bindUrl: z.string().optional(),
  bindOffline: z.boolean().default(false),
});
export type InitOptions = z.infer<typeof initOptionsSchema>;

/**
 * `init`: the setup wizard (src/commands/init/run.ts), loaded only when it runs so `init --help`
 * stays as light as root `--help`.
 */
export async function runInit(opts: InitOptions, ctx: Context): Promise<void> {
  const { runInitWizard } = await import('./run.js');
  await runInitWizard(opts, ctx);
}

export function initCommand(ctx: Context, run = runInit): Command {
  const base = new Command('init')
    .description('Set up a portal step by step: local application, authorization, profile, first bindings')
    .option('--portal <url>', 'portal address, e.g. https://example.bitrix24.com')
    .option('--client-id <id>', "local application's client id (local.…)")
    .option('--client-secret <secret>', 'client secret ("-" reads stdin; or B24_CLIENT_SECRET)')
    .option('--oauth-server <url>', `OAuth server (default: the portal itself on loopback, ${DEFAULT_OAUTH_SERVER} for cloud portals; asked otherwise)`);
  const command = addTokenOptions(base)
    .option('--name <profile>', 'profile name (default: from the portal address, e.g. "example")')
    .option('--default', 'make it the default profile (the first profile always is)')
    .option('--force', 'replace an existing profile of that name')
    .option('--bind <events>', 'after saving, bind these events (comma-separated)')
    .option('--no-bind', 'skip the binding step')
    .option('--bind-url <url>', 'handler URL the --bind events are POSTed to')
    .option('--bind-offline', 'bind the --bind events to the offline queue instead')
    .addHelpText(
      'after',
      `${examples(
        'b24-events init                                    # guided, asks for everything',
        'b24-events init --portal example.bitrix24.com      # asks only for the rest',
        'B24_CLIENT_SECRET=… B24_REFRESH_TOKEN=… b24-events init --portal example.bitrix24.com --client-id local.65a… --name prod --bind ONCRMDEALADD --bind-url https://hooks.example.com/b24',
      )}
On a terminal it asks only for what the flags and B24_* variables leave open; without one (or with CI
or B24_NO_PROMPT set) it never asks, and missing values fail with exit ${ExitCode.usage}, naming the flags.
Tokens come from a browser authorization (the code is exchanged at once: it lives 30 seconds) or are
pasted from the installation event. On a terminal the OAuth server is checked before the browser step;
against a \`b24-events sandbox\` portal init offers to create the local application itself.
Ctrl-C before the save step writes nothing (exit ${ExitCode.interrupted}).
`,
    );
  return withOptions(command, initOptionsSchema, (opts) => run(opts, ctx));
}

export function register(program: Command, ctx: Context): void {
  attach(program, initCommand(ctx));
}
