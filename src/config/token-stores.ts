import { namedPortal, type TokenReply } from '../api/oauth.js';
import { expiryOf, type TokenState, type TokenStore } from '../api/session.js';
import type { Redactor } from '../api/redact.js';
import { CliError, ExitCode } from '../errors.js';
import { continuedChain, type CredentialSource } from './credentials.js';
import type { Profile } from './schema.js';
import type { ConfigStore } from './store.js';

/**
 * The profile fields a token reply updates. The portal changes only when the reply's own `domain`
 * confirms the `client_endpoint` it names (see namedPortal).
 */
export function profileTokens(reply: TokenReply): Partial<Profile> {
  const named = namedPortal(reply);
  return {
    ...(named?.confirmed ? { portal: named.origin } : {}),
    accessToken: reply.access_token,
    refreshToken: reply.refresh_token,
    accessTokenExpires: expiryOf(reply),
    ...(reply.member_id ? { memberId: reply.member_id } : {}),
    ...(reply.scope ? { scope: reply.scope } : {}),
    ...(reply.user_id !== undefined ? { userId: reply.user_id } : {}),
  };
}

/** What a running command's tokens belong to: if any of it changes, they belong elsewhere. */
type Identity = Pick<Profile, 'portal' | 'oauthServer' | 'clientId' | 'clientSecret' | 'memberId'>;

const IDENTITY_LABELS: [keyof Identity, string][] = [
  ['portal', 'portal'],
  ['oauthServer', 'OAuth server'],
  ['clientId', 'client id'],
  ['clientSecret', 'client secret'],
  ['memberId', 'installation (member_id)'],
];

/**
 * Tokens of a saved profile. Read from the file only to refresh (under the lock), and then the whole
 * profile is checked: if it was re-pointed (another portal, OAuth server or application) since this
 * command started, the command stops instead of sending one portal's tokens to another.
 */
export function profileTokenStore(store: ConfigStore, name: string, redactor: Redactor, started?: Profile): TokenStore {
  let expected: Identity | undefined = started && identityOf(started);
  const current = async (): Promise<Profile | undefined> => {
    const profile = (await store.readSettled()).profiles[name];
    if (profile && expected) assertSameIdentity(name, expected, profile);
    return profile;
  };
  return {
    async load(): Promise<TokenState> {
      const profile = await current();
      return { accessToken: profile?.accessToken, accessTokenExpires: profile?.accessTokenExpires, refreshToken: profile?.refreshToken };
    },
    async save(reply) {
      redactor.add(reply.access_token, reply.refresh_token);
      const config = await store.readSettled();
      // Removed by hand while its token was being spent: the successor still has to be kept.
      const profile = config.profiles[name] ?? started;
      if (!profile) throw new Error(`profile "${name}" disappeared while refreshing its token`);
      config.profiles[name] = { ...profile, ...profileTokens(reply) };
      store.write(config);
      expected = identityOf(config.profiles[name]);
    },
    exclusive: (fn) => store.withLock(fn),
    async recheck() {
      let profile: Profile | undefined;
      try {
        profile = (await store.readSettled()).profiles[name];
      } catch {
        return; // unreadable now: the portal's own refusal is the news
      }
      if (profile && expected) assertSameIdentity(name, expected, profile);
    },
  };
}

function identityOf(profile: Profile): Identity {
  return {
    portal: profile.portal,
    oauthServer: profile.oauthServer,
    clientId: profile.clientId,
    clientSecret: profile.clientSecret,
    memberId: profile.memberId,
  };
}

function assertSameIdentity(name: string, expected: Identity, now: Profile): void {
  for (const [key, label] of IDENTITY_LABELS) {
    const before = expected[key];
    const after = now[key];
    if (before === after || (key === 'memberId' && (!before || !after))) continue;
    const change =
      key === 'clientId' || key === 'clientSecret' || key === 'memberId' ? `its ${label} changed` : `its ${label} changed from ${before} to ${after}`;
    throw new CliError(`profile "${name}" was changed while this command ran (${change}); stopped so no token goes to the wrong place`, ExitCode.failure, {
      hint: 'no token was sent anywhere new; run the command again to use the profile as it is now',
      code: 'PROFILE_CHANGED',
    });
  }
}

/**
 * Tokens from environment variables. A refresh spends B24_REFRESH_TOKEN, and the environment cannot
 * be updated, so the new pair is kept in the config file (keyed by portal and client id): later
 * runs on this machine continue the chain instead of failing with invalid_grant.
 */
export function envTokenStore(
  store: ConfigStore,
  source: Extract<CredentialSource, { kind: 'env' }>,
  envRefreshToken: string | undefined,
  redactor: Redactor,
  notify: (message: string) => void,
): TokenStore {
  let memory: TokenState = { ...source.profile };
  return {
    async load(): Promise<TokenState> {
      const rotated = continuedChain((await store.readSettled()).envSessions[source.key], envRefreshToken);
      return rotated ? { ...memory, ...rotated } : memory;
    },
    async save(reply) {
      redactor.add(reply.access_token, reply.refresh_token);
      const config = await store.readSettled();
      const previous = config.envSessions[source.key];
      const spent = [...(previous?.spentRefreshTokens ?? []), ...(memory.refreshToken ? [memory.refreshToken] : [])];
      const expires = expiryOf(reply);
      config.envSessions[source.key] = {
        spentRefreshTokens: [...new Set(spent)].slice(-20),
        accessToken: reply.access_token,
        refreshToken: reply.refresh_token,
        ...(expires !== undefined ? { accessTokenExpires: expires } : {}),
      };
      store.write(config);
      const spentEnvToken = memory.refreshToken === envRefreshToken;
      memory = { accessToken: reply.access_token, refreshToken: reply.refresh_token, accessTokenExpires: expires };
      if (spentEnvToken)
        notify(
          `the refresh token from B24_REFRESH_TOKEN was spent by a token refresh (they are single-use); the new pair is saved in ${store.path} and later runs on this machine continue from it. Elsewhere, update the secret or re-authorize.`,
        );
    },
    exclusive: (fn) => store.withLock(fn),
  };
}
