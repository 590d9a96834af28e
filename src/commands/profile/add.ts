import { Command } from 'commander';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { normalizePortalUrl } from '../../config/portal-url.js';
import { verifyAndSaveProfile } from '../shared/profile-setup.js';
import { DEFAULT_OAUTH_SERVER, type Profile } from '../../config/schema.js';
import { examples, withOptions } from '../shared/options.js';
import { resolveSecrets } from '../shared/secrets.js';
import { profileView } from '../shared/profile-view.js';
import { reportVerification } from '../shared/verification-view.js';

export const profileAddOptionsSchema = z.object({
  name: z.string(),
  portal: z.string().optional(),
  clientId: z.string().trim().optional(),
  clientSecret: z.string().optional(),
  refreshToken: z.string().optional(),
  accessToken: z.string().optional(),
  applicationToken: z.string().optional(),
  oauthServer: z.string().optional(),
  default: z.boolean().default(false),
  verify: z.boolean().default(true),
  force: z.boolean().default(false),
});
export type ProfileAddOptions = z.infer<typeof profileAddOptionsSchema>;

/** `profile add`: save an application's OAuth credentials, verified against the portal first. */
export async function runProfileAdd(opts: ProfileAddOptions, ctx: Context): Promise<void> {
  // The portal first: a webhook URL gets its explanation before any complaint about other flags.
  const portal = opts.portal ? normalizePortalUrl(opts.portal) : undefined;
  assertNothingMissing(opts, ctx.env);
  const secrets = await resolveSecrets(ctx, opts);
  if (!portal || !opts.clientId || !secrets.clientSecret) throw new UsageError('missing --portal, --client-id or the client secret');
  if (!secrets.refreshToken && !secrets.accessToken) throw new UsageError('missing token: --refresh-token or --access-token');
  const profile: Profile = {
    portal,
    oauthServer: opts.oauthServer ? normalizePortalUrl(opts.oauthServer, 'OAuth server URL') : DEFAULT_OAUTH_SERVER,
    clientId: opts.clientId,
    clientSecret: secrets.clientSecret,
    ...(secrets.accessToken ? { accessToken: secrets.accessToken } : {}),
    ...(secrets.refreshToken ? { refreshToken: secrets.refreshToken } : {}),
    ...(secrets.applicationToken ? { applicationToken: secrets.applicationToken } : {}),
  };
  const { isDefault, status } = await verifyAndSaveProfile(ctx, {
    name: opts.name,
    profile,
    verify: opts.verify,
    makeDefault: opts.default,
    replace: opts.force,
    skipVerifyFlag: '--no-verify',
  });
  const saved = (await ctx.store()).getProfile(opts.name) ?? profile;
  const view = profileView(opts.name, saved, isDefault);
  if (ctx.globals.json) return ctx.printer.printJson({ profile: view, verified: opts.verify, status: status ?? null });
  ctx.printer.success(`Saved profile ${opts.name} for ${saved.portal}${isDefault ? ' (default)' : ''}`);
  if (status) reportVerification(ctx, status);
  else ctx.printer.note('Not verified (--no-verify); check with `b24-events status`');
}

/** Every missing value named at once (values read from stdin, `-`, count as given). */
function assertNothingMissing(opts: ProfileAddOptions, env: NodeJS.ProcessEnv): void {
  const missing = [
    ...(opts.portal ? [] : ['--portal URL']),
    ...(opts.clientId ? [] : ['--client-id ID']),
    ...(opts.clientSecret || env.B24_CLIENT_SECRET ? [] : ['--client-secret (or B24_CLIENT_SECRET)']),
    ...(opts.refreshToken || opts.accessToken || env.B24_REFRESH_TOKEN || env.B24_ACCESS_TOKEN
      ? []
      : ['--refresh-token (or B24_REFRESH_TOKEN) or --access-token']),
  ];
  if (missing.length === 0) return;
  throw new UsageError(`missing: ${missing.join(', ')}`, {
    hint: 'the client id and secret are shown when the local application is saved; the refresh token comes from its installation event (`b24-events init` walks you through it)',
  });
}

export function profileAddCommand(ctx: Context, run = runProfileAdd): Command {
  const command = new Command('add')
    .description("Save a local application's OAuth credentials as a profile (verified unless --no-verify)")
    .argument('<name>', 'profile name, e.g. production')
    .option('--portal <url>', 'portal address, e.g. https://example.bitrix24.com')
    .option('--client-id <id>', "local application's client id (local.…)")
    .option('--client-secret <secret>', 'client secret ("-" reads stdin; or B24_CLIENT_SECRET)')
    .option('--refresh-token <token>', 'refresh token ("-" reads stdin; or B24_REFRESH_TOKEN)')
    .option('--access-token <token>', 'access token ("-" reads stdin; or B24_ACCESS_TOKEN)')
    .option('--application-token <token>', 'application token from the install event ("-" reads stdin; or B24_APPLICATION_TOKEN)')
    .option('--oauth-server <url>', `OAuth server (default ${DEFAULT_OAUTH_SERVER})`)
    .option('--default', 'make it the default profile (the first profile always is)')
    .option('--no-verify', 'save without contacting the portal')
    .option('--force', 'replace an existing profile of that name')
    .addHelpText(
      'after',
      `${examples(
        'b24-events profile add prod --portal https://example.bitrix24.com --client-id local.65a… --client-secret - --refresh-token "$RT" < secret.txt',
        'B24_CLIENT_SECRET=… B24_REFRESH_TOKEN=… b24-events profile add prod --portal example.bitrix24.com --client-id local.65a…',
      )}
Where the values come from: create a local application in the portal (Developer resources → Other →
Local application, tick "uses API only", choose the scopes of the events you need). Saving it shows
the client id and secret; the portal then POSTs ONAPPINSTALL to the installation path with
auth[refresh_token] and auth[application_token]. \`b24-events init\` walks you through it.
`,
    );
  return withOptions(command, profileAddOptionsSchema, (opts) => run(opts, ctx));
}
