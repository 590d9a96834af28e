import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { parseRateLimit } from '../../api/pacer.js';
import type { Context } from '../../context.js';
import { checkProfileName } from '../shared/profile-setup.js';
import { claimSandboxProfile, currentOwner, demoAppProfile, releaseSandboxProfile, type SandboxClaim } from '../../config/sandbox-profiles.js';
import type { SandboxOwner } from '../../config/schema.js';
import { ExitCode, SilentError, UsageError } from '../../errors.js';
import { seedDemo, startSandbox, type Sandbox } from '../../sandbox/index.js';
import { attach, examples, withOptions } from '../shared/options.js';

export const sandboxOptionsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(0),
  /** undefined: the default name, which gives way to a running sandbox's profile */
  saveAs: z.string().optional(),
  save: z.boolean().default(true),
  rateLimit: z.string().default('2/50'),
  offlineExtended: z.boolean().default(true),
  authConnector: z.boolean().default(true),
  tokenTtl: z.coerce.number().int().positive().default(3600),
  operatingBudget: z.string().default('480/600'),
  operatingCharge: z.coerce.number().min(0, 'must be 0 or more seconds').default(0),
  tls: z.boolean().default(false),
});
export type SandboxCommandOptions = z.infer<typeof sandboxOptionsSchema>;

const DEFAULT_NAME = 'sandbox';

/**
 * `sandbox`: a local imitation of a Bitrix24 portal on 127.0.0.1 with a demo application, so the
 * tool (and your handlers) can be tried without a portal. Its demo credentials go straight into a
 * profile instead of onto the screen. Runs until Ctrl-C.
 */
export async function runSandbox(opts: SandboxCommandOptions, ctx: Context): Promise<void> {
  if (opts.saveAs !== undefined) checkProfileName(opts.saveAs);
  const rateLimit = parseRateLimit(opts.rateLimit);
  if (rateLimit === undefined) throw new UsageError(`--rate-limit must look like "2/50", "5/250" or "off", not "${opts.rateLimit}"`);
  const budget = parseOperatingBudget(opts.operatingBudget);
  const sandbox = await startSandbox({
    port: opts.port,
    rateLimit,
    features: { rest_offline_extended: opts.offlineExtended, rest_auth_connector: opts.authConnector },
    accessTokenTtlSec: opts.tokenTtl,
    operating: { ...budget, chargeSec: opts.operatingCharge },
    tls: opts.tls,
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE')
      throw new UsageError(`port ${opts.port} is already in use`, { hint: 'pick another with --port, or omit --port to use any free port' });
    throw error;
  });
  let saved: { name: string; owner: SandboxOwner } | undefined;
  const caFile = sandbox.caCert === undefined ? undefined : writeCaFile(sandbox.caCert);
  try {
    const { app, tokens } = seedDemo(sandbox);
    ctx.redactor.add(app.clientSecret, app.applicationToken, tokens.access_token, tokens.refresh_token);
    if (opts.save) {
      const owner = currentOwner();
      const profile = { ...demoAppProfile(sandbox, app, tokens), sandbox: owner };
      // Never the default, never a profile a sandbox did not create, never a running sandbox's.
      const claim = await claimSandboxProfile(await ctx.store(), { name: opts.saveAs ?? DEFAULT_NAME, explicit: opts.saveAs !== undefined, profile });
      saved = { name: claim.name, owner };
      explainClaim(ctx, claim);
    }
    announce(ctx, sandbox, saved?.name ?? null, app.clientId, caFile?.path);
    await untilInterrupted(ctx.signal);
  } finally {
    await sandbox.close();
    caFile?.remove();
    // A stopped sandbox's profile would point at a dead port: it goes with the sandbox.
    if (saved && (await releaseSandboxProfile(await ctx.store(), saved.name, saved.owner))) ctx.printer.note(`Removed profile "${saved.name}"`);
  }
  ctx.printer.note('Sandbox stopped');
  throw new SilentError(ExitCode.interrupted);
}

/** --no-save: the demo's secret is never printed, so say how to make an application of one's own and use it. */
function noSaveHint(ctx: Context, url: string, cacert: string): void {
  const post = (action: string, body: string) => `curl -s ${cacert}-X POST ${url}/_sandbox/${action} -d '${body}'`;
  ctx.printer.note('Nothing was saved (--no-save) and the demo secret is never shown. To use this portal, register an application and tokens:');
  ctx.printer.note(`  ${post('create-app', '{"scopes":["crm"],"clientId":"local.mine.1","clientSecret":"my-secret-123"}')}`);
  ctx.printer.note(
    `  RT=$(${post('issue-tokens', '{"clientId":"local.mine.1","userId":1}')} | node -pe 'JSON.parse(require("fs").readFileSync(0)).refresh_token')`,
  );
  ctx.printer.note(
    `  B24_CLIENT_SECRET=my-secret-123 b24-events profile add mine --portal ${url} --oauth-server ${url} --client-id local.mine.1 --refresh-token "$RT"`,
  );
}

function explainClaim(ctx: Context, claim: SandboxClaim): void {
  const reused = claim.cleaned.filter((name) => name !== claim.name);
  if (claim.cleaned.includes(claim.name)) ctx.printer.note(`Replacing profile "${claim.name}", left by a sandbox that no longer runs`);
  if (reused.length) ctx.printer.note(`Removed profile(s) left by sandboxes that no longer run: ${reused.join(', ')}`);
  for (const { name, pid } of claim.busy)
    ctx.printer.note(`Profile "${name}" belongs to the sandbox running as pid ${pid}; this one is saved as "${claim.name}"`);
}

function announce(ctx: Context, sandbox: Sandbox, profile: string | null, clientId: string, caFile: string | undefined): void {
  const ca = caFile === undefined ? {} : { ca_file: caFile };
  if (ctx.globals.json)
    ctx.printer.printJson({ url: sandbox.url, oauth_url: sandbox.oauthUrl, member_id: sandbox.memberId, client_id: clientId, profile, ...ca });
  else ctx.printer.line(sandbox.url);
  ctx.printer.success(`Sandbox portal running at ${sandbox.url} (Ctrl-C to stop)`);
  if (caFile !== undefined) {
    ctx.printer.note(`HTTPS with a certificate from a CA made for this run (loopback names only): ${caFile}`);
    ctx.printer.note(`Trust it in the shell that runs b24-events (or your handler): export NODE_EXTRA_CA_CERTS=${caFile}`);
  }
  const cacert = caFile === undefined ? '' : `--cacert ${caFile} `;
  if (profile) {
    ctx.printer.note(`Demo application (scopes crm, task, user, calendar) saved as profile "${profile}". Try:`);
    ctx.printer.note(`  b24-events --profile ${profile} status`);
    ctx.printer.note(`  b24-events --profile ${profile} bind ONCRMDEALUPDATE --offline`);
    ctx.printer.note(`  b24-events --profile ${profile} trigger ONCRMDEALUPDATE --data FIELDS.ID=1    # the sandbox raises it`);
  } else noSaveHint(ctx, sandbox.url, cacert);
}

/** `--operating-budget 480/600`: seconds of execution per method and caller, per window of seconds. */
function parseOperatingBudget(spec: string): { limitSec: number; windowSec: number } {
  const match = /^(\d+(?:\.\d+)?)(?:\/(\d+))?$/.exec(spec.trim());
  const limitSec = Number(match?.[1]);
  const windowSec = Number(match?.[2] ?? 600);
  if (!match || !(limitSec > 0) || !(windowSec > 0)) {
    throw new UsageError(`--operating-budget must look like "480/600" or "60", not "${spec}"`, {
      hint: 'execution seconds per method and app, then the window in seconds (default 600)',
    });
  }
  return { limitSec, windowSec };
}

// The CA certificate is public; it lives in a private temp folder for this run and goes with it.
function writeCaFile(pem: string): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'b24-events-sandbox-'));
  const path = join(dir, 'ca.pem');
  writeFileSync(path, pem, { mode: 0o644 });
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
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
    .option('--save-as <name>', `profile to save the demo credentials under (default: "${DEFAULT_NAME}", or "${DEFAULT_NAME}-2"… while another sandbox runs)`)
    .option('--no-save', 'do not save the demo credentials as a profile')
    .option('--rate-limit <spec>', 'portal rate limit: "2/50", "5/250" or "off"', '2/50')
    .option('--no-offline-extended', 'imitate a plan without rest_offline_extended (no clear=0)')
    .option('--no-auth-connector', 'imitate a plan without rest_auth_connector')
    .option('--token-ttl <seconds>', 'access token lifetime (short values exercise refreshes)', '3600')
    .option('--operating-budget <spec>', 'OPERATION_TIME_LIMIT budget per method and app: "<seconds>[/<window seconds>]"', '480/600')
    .option('--operating-charge <seconds>', 'simulated execution seconds added to every call, to reach the budget', '0')
    .option('--tls', 'serve HTTPS with a certificate from a CA generated for this run (prints its file)')
    .addHelpText(
      'after',
      `\nThe saved profile is the sandbox's own: it is removed when the sandbox stops, never becomes the default,
is left out of --all-profiles, and never replaces a profile the sandbox did not create (exit ${ExitCode.usage}).
${examples(
  'b24-events sandbox                       # then, in another terminal:',
  'b24-events --profile sandbox status',
  'b24-events sandbox --port 8024 --token-ttl 60 --json',
  'b24-events sandbox --operating-budget 9/60 --operating-charge 2   # the 6th call of a method within a minute: 429',
  'b24-events sandbox --tls                 # then: export NODE_EXTRA_CA_CERTS=<the printed ca.pem>',
)}`,
    );
  return withOptions(command, sandboxOptionsSchema, (opts) => run(opts, ctx));
}

export function register(program: Command, ctx: Context): void {
  attach(program, sandboxCommand(ctx));
}
