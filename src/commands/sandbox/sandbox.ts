import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { parseRateLimit } from '../../api/pacer.js';
import type { Context } from '../../context.js';
import { verifyAndSaveProfile } from '../../config/profile-setup.js';
import { DEFAULT_OAUTH_SERVER } from '../../config/schema.js';
import { ExitCode, SilentError, UsageError } from '../../errors.js';
import { seedDemo, startSandbox, type Sandbox } from '../../sandbox/index.js';
import { attach, examples, withOptions } from '../shared/options.js';

export const sandboxOptionsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(0),
  saveAs: z.string().default('sandbox'),
  save: z.boolean().default(true),
  rateLimit: z.string().default('2/50'),
  offlineExtended: z.boolean().default(true),
  authConnector: z.boolean().default(true),
  tokenTtl: z.coerce.number().int().positive().default(3600),
});
export type SandboxCommandOptions = z.infer<typeof sandboxOptionsSchema>;

/**
 * `sandbox`: a local imitation of a Bitrix24 portal on 127.0.0.1 with a demo application, so the
 * tool (and your handlers) can be tried without a portal. Its demo credentials go straight into a
 * profile instead of onto the screen. Runs until Ctrl-C.
 */
export async function runSandbox(opts: SandboxCommandOptions, ctx: Context): Promise<void> {
  const rateLimit = parseRateLimit(opts.rateLimit);
  if (rateLimit === undefined) throw new UsageError(`--rate-limit must look like "2/50", "5/250" or "off", not "${opts.rateLimit}"`);
  const sandbox = await startSandbox({
    port: opts.port,
    rateLimit,
    features: { rest_offline_extended: opts.offlineExtended, rest_auth_connector: opts.authConnector },
    accessTokenTtlSec: opts.tokenTtl,
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE')
      throw new UsageError(`port ${opts.port} is already in use`, { hint: 'pick another with --port, or omit --port to use any free port' });
    throw error;
  });
  try {
    const { app, tokens } = seedDemo(sandbox);
    ctx.redactor.add(app.clientSecret, app.applicationToken, tokens.access_token, tokens.refresh_token);
    if (opts.save) {
      const profile = {
        portal: sandbox.url,
        oauthServer: sandbox.oauthUrl || DEFAULT_OAUTH_SERVER,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        accessToken: tokens.access_token,
        accessTokenExpires: tokens.expires,
        refreshToken: tokens.refresh_token,
        applicationToken: app.applicationToken,
        memberId: tokens.member_id,
        scope: tokens.scope,
        userId: tokens.user_id,
      };
      // Never the default: plain commands must not keep talking to a sandbox once real profiles exist.
      await verifyAndSaveProfile(ctx, { name: opts.saveAs, profile, verify: false, makeDefault: false, replace: true, neverDefault: true });
    }
    announce(ctx, sandbox, opts, app.clientId);
    await untilInterrupted(ctx.signal);
  } finally {
    await sandbox.close();
  }
  ctx.printer.note('Sandbox stopped');
  throw new SilentError(ExitCode.interrupted);
}

function announce(ctx: Context, sandbox: Sandbox, opts: SandboxCommandOptions, clientId: string): void {
  const profile = opts.save ? opts.saveAs : null;
  if (ctx.globals.json) ctx.printer.printJson({ url: sandbox.url, oauth_url: sandbox.oauthUrl, member_id: sandbox.memberId, client_id: clientId, profile });
  else ctx.printer.line(sandbox.url);
  ctx.printer.success(`Sandbox portal running at ${sandbox.url} (Ctrl-C to stop)`);
  if (profile) {
    ctx.printer.note(`Demo application (scopes crm, task, user, calendar) saved as profile "${profile}". Try:`);
    ctx.printer.note(`  b24-events --profile ${profile} status`);
    ctx.printer.note(`  b24-events --profile ${profile} bind ONCRMDEALUPDATE --offline`);
  }
  ctx.printer.note(`Fire an event: curl -X POST ${sandbox.url}/_sandbox/trigger -d '{"event":"ONCRMDEALUPDATE","data":{"FIELDS":{"ID":"1"}},"userId":1}'`);
}

function untilInterrupted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

function portNumber(value: string): string {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('expected a port number (0 = any free port)');
  return value;
}

export function sandboxCommand(ctx: Context, run = runSandbox): Command {
  const command = new Command('sandbox')
    .description('Run a local imitation of a Bitrix24 portal (127.0.0.1) to try the tool and test handlers')
    .option('--port <port>', 'port to listen on (default: any free port)', portNumber)
    .option('--save-as <name>', 'profile to save the demo credentials under', 'sandbox')
    .option('--no-save', 'do not save the demo credentials as a profile')
    .option('--rate-limit <spec>', 'portal rate limit: "2/50", "5/250" or "off"', '2/50')
    .option('--no-offline-extended', 'imitate a plan without rest_offline_extended (no clear=0)')
    .option('--no-auth-connector', 'imitate a plan without rest_auth_connector')
    .option('--token-ttl <seconds>', 'access token lifetime (short values exercise refreshes)', '3600')
    .addHelpText(
      'after',
      examples(
        'b24-events sandbox                       # then, in another terminal:',
        'b24-events --profile sandbox status',
        'b24-events sandbox --port 8024 --token-ttl 60 --json',
      ),
    );
  return withOptions(command, sandboxOptionsSchema, (opts) => run(opts, ctx));
}

export function register(program: Command, ctx: Context): void {
  attach(program, sandboxCommand(ctx));
}
