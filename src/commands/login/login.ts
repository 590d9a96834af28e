import { Command } from 'commander';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { attach, examples, withOptions } from '../shared/options.js';
import { addTokenOptions, tokenOptionsShape } from '../shared/token-flags.js';

export const loginOptionsSchema = z.object({
  portal: z.string().optional(),
  clientSecret: z.string().optional(),
  oauthServer: z.string().optional(),
  ...tokenOptionsShape,
  printUrl: z.boolean().default(false),
});
export type LoginOptions = z.infer<typeof loginOptionsSchema>;

/** `login` (src/commands/login/run.ts), loaded only when it runs so `login --help` stays light. */
export async function runLogin(opts: LoginOptions, ctx: Context): Promise<void> {
  const { runLoginFlow } = await import('./run.js');
  await runLoginFlow(opts, ctx);
}

export function loginCommand(ctx: Context, run = runLogin): Command {
  const base = new Command('login')
    .description('Re-authorize a saved profile: new tokens after invalid_grant, a moved portal or a new client secret')
    .option('--portal <url>', 'new portal address (when the portal moved)')
    .option('--client-secret <secret>', 'new client secret ("-" reads stdin; or B24_CLIENT_SECRET)')
    .option('--oauth-server <url>', 'OAuth server');
  const command = addTokenOptions(base)
    .option('--print-url', 'print the authorization address (to approve in a browser) and exit')
    .addHelpText(
      'after',
      `${examples(
        'b24-events login                                   # the default profile, interactively',
        'b24-events login --profile prod --no-browser       # print the address instead of opening it',
        'b24-events login --profile prod --refresh-token - < token.txt',
        'b24-events login --profile prod --print-url        # then, within 30 s of approving:',
        "b24-events login --profile prod --redirect-url 'https://…/?code=…&state=…&domain=…'",
      )}
Without a terminal it never asks: pass --code, --redirect-url or --refresh-token. The profile is
changed only after the new tokens are verified; all its other settings are kept.
`,
    );
  return withOptions(command, loginOptionsSchema, (opts) => run(opts, ctx));
}

export function register(program: Command, ctx: Context): void {
  attach(program, loginCommand(ctx));
}
