import { endpointOrigin, type TokenReply } from '../api/oauth.js';
import { expiryOf, type TokenState, type TokenStore } from '../api/session.js';
import type { Redactor } from '../api/redact.js';
import { continuedChain, type CredentialSource } from './credentials.js';
import type { Profile } from './schema.js';
import type { ConfigStore } from './store.js';

/** The profile fields a token reply updates. */
export function profileTokens(reply: TokenReply): Partial<Profile> {
  const portal = endpointOrigin(reply);
  return {
    ...(portal ? { portal } : {}),
    accessToken: reply.access_token,
    refreshToken: reply.refresh_token,
    accessTokenExpires: expiryOf(reply),
    ...(reply.member_id ? { memberId: reply.member_id } : {}),
    ...(reply.scope ? { scope: reply.scope } : {}),
    ...(reply.user_id !== undefined ? { userId: reply.user_id } : {}),
  };
}

/** Tokens of a saved profile: read from the file each time, written back before use. */
export function profileTokenStore(store: ConfigStore, name: string, redactor: Redactor): TokenStore {
  return {
    load(): TokenState {
      const profile = store.getProfile(name);
      return { accessToken: profile?.accessToken, accessTokenExpires: profile?.accessTokenExpires, refreshToken: profile?.refreshToken };
    },
    save(reply) {
      redactor.add(reply.access_token, reply.refresh_token);
      const config = store.read();
      const profile = config.profiles[name];
      if (!profile) throw new Error(`profile "${name}" disappeared while refreshing its token`);
      config.profiles[name] = { ...profile, ...profileTokens(reply) };
      store.write(config);
    },
    exclusive: (fn) => store.withLock(fn),
  };
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
    load(): TokenState {
      const rotated = continuedChain(store.read().envSessions[source.key], envRefreshToken);
      return rotated ? { ...memory, ...rotated } : memory;
    },
    save(reply) {
      redactor.add(reply.access_token, reply.refresh_token);
      const config = store.read();
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
