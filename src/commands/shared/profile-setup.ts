import { fetchPortalStatus, type PortalStatus } from '../../api/portal.js';
import type { TokenStore } from '../../api/session.js';
import type { Context } from '../../context.js';
import { AuthError, CliError, ExitCode, UsageError } from '../../errors.js';
import { knownCodes } from '../../api/errors.js';
import { toCliError } from '../../error-report.js';
import { buildClient } from '../../config/session-factory.js';
import { PROFILE_NAME, type Profile } from '../../config/schema.js';
import type { ConfigStore } from '../../config/store.js';
import { profileTokens } from '../../config/token-stores.js';

export interface SaveProfileRequest {
  name: string;
  profile: Profile;
  verify: boolean;
  makeDefault: boolean;
  /** replace an existing profile of that name */
  replace: boolean;
  /** re-authorization: tokens of another installation (member_id) are refused */
  expectMemberId?: string | undefined;
  /** the flag that saves without verifying (`profile add --no-verify`), suggested when the portal cannot be reached */
  skipVerifyFlag?: string | undefined;
}

export interface SaveProfileResult {
  isDefault: boolean;
  status: PortalStatus | undefined;
}

export function checkProfileName(name: string): void {
  if (!PROFILE_NAME.test(name)) {
    throw new UsageError(`"${name}" is not a valid profile name`, { hint: 'use letters, digits, ".", "_" or "-" (up to 64), starting with a letter or digit' });
  }
}

/**
 * Verifies new credentials against the portal, then saves them. When verification spends the
 * refresh token, the new pair is written to the profile before anything else happens, so a
 * failure later cannot lose the token chain.
 */
export async function verifyAndSaveProfile(ctx: Context, request: SaveProfileRequest): Promise<SaveProfileResult> {
  checkProfileName(request.name);
  const store = await ctx.store();
  if (!request.replace && store.getProfile(request.name)) {
    throw new UsageError(`profile "${request.name}" already exists`, { hint: 'pass --force to replace it, or re-authorize it with `b24-events login`' });
  }
  let profile = { ...request.profile };
  // A working profile is never overwritten before verification: a rotation while re-authorizing is
  // held under NAME-new until the new tokens pass.
  const holding = store.getProfile(request.name) ? `${request.name}-new` : request.name;
  let rotated = false;
  let status: PortalStatus | undefined;
  if (request.verify) {
    ctx.redactor.add(profile.clientSecret, profile.accessToken, profile.refreshToken);
    const tokens = pendingTokenStore(
      store,
      holding,
      () => profile,
      (next) => {
        ctx.redactor.add(next.accessToken, next.refreshToken);
        profile = next;
        rotated = true;
        assertSameInstallation(request.expectMemberId, next.memberId);
      },
    );
    try {
      status = await fetchPortalStatus(buildClient(ctx, profile, tokens, { name: request.name }));
      assertEventMethodsAllowed(status);
    } catch (error) {
      if (rotated) throw keptAfterFailure(error, request.name, holding);
      throw holding === request.name ? newProfileFailure(error, request.skipVerifyFlag) : error;
    }
    profile = {
      ...profile,
      ...(status.user.id !== null ? { userId: status.user.id } : {}),
      ...(status.user.admin !== null ? { admin: status.user.admin } : {}),
      ...(status.scopes ? { scope: status.scopes.join(',') } : {}),
    };
  }
  const isDefault = await store.update((config) => {
    config.profiles[request.name] = profile;
    if (holding !== request.name) delete config.profiles[holding];
    const noDefault = !config.defaultProfile || !config.profiles[config.defaultProfile];
    if (request.makeDefault || noDefault) config.defaultProfile = request.name;
    return config.defaultProfile === request.name;
  });
  return { isDefault, status };
}

/** `event.get` is the call a webhook or a non-application token fails; only auth refusals count. */
export function assertEventMethodsAllowed(status: PortalStatus): void {
  const refusal = status.errors.handlers;
  if (refusal && knownCodes[refusal]?.category === 'auth') {
    throw new AuthError(`the portal refuses event methods with these credentials (${refusal})`, {
      hint: "event methods need a local application's OAuth token; see `b24-events profile add --help`",
    });
  }
}

/**
 * Verification failed after the refresh token was spent: the successor is already saved (losing it
 * would break the chain), so the failure says where it went and how to go on.
 */
function keptAfterFailure(error: unknown, name: string, holding: string): CliError {
  const cause = toCliError(error);
  const kept =
    holding === name
      ? `the refreshed tokens were kept in profile "${name}" so the token chain is not lost (check it with \`b24-events status --profile ${name}\`, or drop it with \`b24-events profile remove ${name}\`)`
      : `profile "${name}" is unchanged; the refreshed tokens were kept as profile "${holding}" so that chain is not lost (check it with \`b24-events status --profile ${holding}\`, or drop it with \`b24-events profile remove ${holding}\`)`;
  return new CliError(cause.message, cause.exitCode, { code: cause.code, cause: error, hint: cause.hint ? `${cause.hint}; ${kept}` : kept });
}

/**
 * Verifying a profile that does not exist yet failed: the generic hints (re-authorize with `login`,
 * look at `profile show`) point at a profile there is none of, so say what helps here instead.
 */
function newProfileFailure(error: unknown, skipVerifyFlag: string | undefined): CliError {
  const cause = toCliError(error);
  const options = { code: cause.code, cause: error };
  if (cause.exitCode === ExitCode.auth && cause.code !== 'WRONG_AUTH_TYPE') {
    const hint = 'the tokens were refused: take fresh ones from the installation event (auth[refresh_token]), or authorize in a browser with `b24-events init`';
    return new CliError(cause.message, cause.exitCode, { ...options, hint });
  }
  if (cause.code.startsWith('TRANSPORT_')) {
    const skip = skipVerifyFlag ? `, or save the profile without checking it (${skipVerifyFlag})` : '';
    return new CliError(cause.message, cause.exitCode, { ...options, hint: `check the portal and OAuth server addresses${skip}` });
  }
  return cause;
}

function assertSameInstallation(expected: string | undefined, actual: string | undefined): void {
  if (expected && actual && expected !== actual) {
    throw new UsageError(`these tokens belong to another portal installation (member_id ${actual}, the profile has ${expected})`, {
      hint: 'add that portal as a new profile with `b24-events init`',
    });
  }
}

/** Tokens of a profile not saved yet; a rotation saves the profile at once (the old token is spent). */
function pendingTokenStore(store: ConfigStore, name: string, current: () => Profile, update: (profile: Profile) => void): TokenStore {
  return {
    load: () => current(),
    save(reply) {
      const next = { ...current(), ...profileTokens(reply) };
      const config = store.read();
      config.profiles[name] = next; // the default is decided once, by the final save after verification
      store.write(config);
      update(next); // after the write: a refusal thrown here must not lose the spent token's successor
    },
    exclusive: (fn) => store.withLock(fn),
  };
}
