// Token flags of `init` and `login`: light on purpose, `--help` loads this file.
import { type Command } from 'commander';
import { z } from 'zod';

/** Suggested Handler path for a local application: b24-events can receive the code there itself. */
export const DEFAULT_HANDLER_PATH = 'http://localhost:8787/b24-events';

/** Token flags shared by `init` and `login` (secrets also from B24_* variables or stdin, see secrets.ts). */
export const tokenOptionsShape = {
  refreshToken: z.string().optional(),
  accessToken: z.string().optional(),
  applicationToken: z.string().optional(),
  code: z.string().trim().min(1, 'must not be empty').optional(),
  redirectUrl: z.string().optional(),
  handlerPath: z.string().optional(),
  browser: z.boolean().default(true),
};
export type TokenFlags = z.infer<z.ZodObject<typeof tokenOptionsShape>>;

export function addTokenOptions(command: Command): Command {
  return command
    .option('--refresh-token <token>', 'refresh token from the installation event ("-" reads stdin; or B24_REFRESH_TOKEN)')
    .option('--access-token <token>', 'access token from the same event, optional ("-" reads stdin; or B24_ACCESS_TOKEN)')
    .option(
      '--application-token <token>',
      'auth[application_token] of the installation event or any delivery ("-" reads stdin; or B24_APPLICATION_TOKEN); `login --application-token` alone just stores it',
    )
    .option('--code <code>', 'authorization code from the redirect (single-use, valid 30 seconds)')
    .option('--redirect-url <url>', 'the whole address the browser was redirected to after authorizing (contains the code)')
    .option('--handler-path <url>', `the application's Handler path, where the portal redirects the browser (e.g. ${DEFAULT_HANDLER_PATH})`)
    .option('--no-browser', 'print the authorization address instead of opening a browser (also BROWSER=none)');
}

export interface TokenSecrets {
  refreshToken?: string | undefined;
  accessToken?: string | undefined;
  applicationToken?: string | undefined;
}

/** True when the flags (or environment) already settle where the tokens come from. */
export function hasTokenFlags(flags: TokenFlags, secrets: TokenSecrets): boolean {
  return Boolean(flags.code || flags.redirectUrl || secrets.refreshToken || secrets.accessToken);
}
