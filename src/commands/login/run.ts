import { authorizeUrl } from '../../auth/authorize.js';
import type { Context } from '../../context.js';
import { normalizePortalUrl } from '../../config/portal-url.js';
import { verifyAndSaveProfile } from '../shared/profile-setup.js';
import type { Profile } from '../../config/schema.js';
import type { ConfigStore } from '../../config/store.js';
import { InterruptedError, UsageError } from '../../errors.js';
import { profileView } from '../shared/profile-view.js';
import { resolveSecrets } from '../shared/secrets.js';
import { obtainTokens, type ObtainedTokens } from '../shared/obtain-tokens.js';
import { hasTokenFlags } from '../shared/token-flags.js';
import { reportVerification } from '../shared/verification-view.js';
import type { LoginOptions } from './login.js';

/**
 * `login`: new tokens for a saved profile (after invalid_grant, a moved portal, a new secret). The
 * profile changes only after the new tokens are verified, in one locked, atomic write that keeps
 * every other field; until then the old token chain stays as it was.
 */
export async function runLoginFlow(opts: LoginOptions, ctx: Context): Promise<void> {
  const store = await ctx.store();
  const name = profileToLogin(ctx, store);
  const existing = store.getProfile(name) as Profile;
  const secrets = await resolveSecrets(ctx, opts);
  const app = {
    portal: opts.portal ? normalizePortalUrl(opts.portal) : existing.portal,
    oauthServer: opts.oauthServer ? normalizePortalUrl(opts.oauthServer, 'OAuth server URL') : existing.oauthServer,
    clientId: existing.clientId,
    clientSecret: secrets.clientSecret ?? existing.clientSecret,
  };
  if (opts.printUrl) return ctx.printer.line(authorizeUrl(app.portal, app.clientId));
  // only the flag: B24_APPLICATION_TOKEN in the environment must not turn a re-authorization into this
  if (
    opts.applicationToken !== undefined &&
    secrets.applicationToken &&
    !hasTokenFlags(opts, secrets) &&
    !opts.portal &&
    !opts.oauthServer &&
    !secrets.clientSecret
  ) {
    return saveApplicationToken(ctx, store, name, secrets.applicationToken);
  }
  if (!hasTokenFlags(opts, secrets)) {
    if (!ctx.canPrompt) {
      throw new UsageError(
        `cannot ask how to authorize (${ctx.noPromptReason ?? 'no terminal'}); missing: --code, --redirect-url or --refresh-token (or B24_REFRESH_TOKEN)`,
        {
          hint: 'open the address `b24-events login --print-url` prints, approve, then within 30 seconds pass the address you land on with --redirect-url',
        },
      );
    }
    ctx.printer.note(`Re-authorizing profile ${name} (${app.portal}). Ctrl-C cancels; the profile stays as it is until the new tokens are verified.\n`);
  }
  const tokens = (await obtainTokens(ctx, { app, flags: opts, secrets, allowBack: false, knownHandlerPath: existing.handlerPath })) as ObtainedTokens;
  checkSameInstallation(existing, tokens);
  const profile: Profile = {
    ...existing,
    ...app,
    accessToken: undefined,
    accessTokenExpires: undefined,
    ...tokens.fields,
    ...(tokens.handlerPath ? { handlerPath: tokens.handlerPath } : {}),
  };
  try {
    const { isDefault, status } = await verifyAndSaveProfile(ctx, {
      name,
      profile,
      verify: true,
      makeDefault: false,
      replace: true,
      expectMemberId: existing.memberId,
    });
    const saved = store.getProfile(name) ?? profile;
    if (ctx.globals.json) return ctx.printer.printJson({ profile: profileView(name, saved, isDefault), status: status ?? null });
    ctx.printer.success(`Re-authorized profile ${name} for ${saved.portal}`);
    if (status) reportVerification(ctx, status);
  } catch (error) {
    if (error instanceof InterruptedError && tokens.via === 'code') {
      throw new InterruptedError(`cancelled; profile ${name} was not changed (the new tokens are discarded, the old ones still apply)`);
    }
    throw error;
  }
}

/**
 * `login --application-token T` alone: the token a portal puts in every delivery's
 * auth[application_token] (handlers check it; forwarded events carry it) is stored as it is. It is
 * no OAuth token, so nothing is verified or spent.
 */
async function saveApplicationToken(ctx: Context, store: ConfigStore, name: string, token: string): Promise<void> {
  await store.update((config) => {
    const profile = config.profiles[name];
    if (profile) profile.applicationToken = token;
  });
  if (ctx.globals.json) return ctx.printer.printJson({ profile: name, application_token: 'saved' });
  ctx.printer.success(`Saved the application token of profile ${name}`);
}

/** `--profile` > B24_PROFILE > the default profile; it must exist. */
function profileToLogin(ctx: Context, store: ConfigStore): string {
  const config = store.read();
  const name = ctx.globals.profile ?? (ctx.env.B24_PROFILE || undefined) ?? config.defaultProfile;
  if (!name) throw new UsageError('there is no profile to re-authorize', { hint: 'set one up with `b24-events init`' });
  if (!config.profiles[name]) {
    const known = Object.keys(config.profiles);
    throw new UsageError(`profile "${name}" does not exist`, {
      hint: known.length ? `known profiles: ${known.join(', ')}; new portals are added with \`b24-events init\`` : 'set one up with `b24-events init`',
    });
  }
  return name;
}

/** Tokens of another installation (another member_id) must not land in this profile. */
function checkSameInstallation(existing: Profile, tokens: ObtainedTokens): void {
  const memberId = tokens.fields.memberId;
  if (existing.memberId && memberId && existing.memberId !== memberId) {
    throw new UsageError('these tokens belong to another portal installation (member_id differs); the profile was not changed', {
      hint: 'add that portal as a new profile with `b24-events init`',
    });
  }
}
