import { AuthError, UsageError } from '../errors.js';
import { normalizePortalUrl } from './portal-url.js';
import { DEFAULT_OAUTH_SERVER, type EnvSession, type Profile } from './schema.js';
import type { ConfigStore } from './store.js';
import { noCredentialsError } from './config-dir.js';

export type CredentialSource = { kind: 'profile'; name: string; profile: Profile } | { kind: 'env'; key: string; profile: Profile };

/**
 * Picks the credentials: `--profile` > environment (B24_PORTAL…) > B24_PROFILE > the default profile.
 */
export function resolveCredentialSource(store: ConfigStore, env: NodeJS.ProcessEnv, profileFlag: string | undefined): CredentialSource {
  if (profileFlag) return savedProfile(store, profileFlag, '--profile');
  if (env.B24_PORTAL) return envSource(store, env);
  if (env.B24_PROFILE) return savedProfile(store, env.B24_PROFILE, 'B24_PROFILE');
  const config = store.read();
  const name = config.defaultProfile;
  if (name && config.profiles[name]) return { kind: 'profile', name, profile: config.profiles[name] };
  const saved = Object.keys(config.profiles);
  if (saved.length > 0) {
    throw new AuthError(`no default profile (saved: ${saved.join(', ')})`, {
      hint: `pick one with --profile NAME, or make one the default: b24-events profile use ${saved[0]}`,
    });
  }
  throw noCredentialsError();
}

function savedProfile(store: ConfigStore, name: string, via: string): CredentialSource {
  const profile = store.getProfile(name);
  if (!profile) {
    const known = Object.keys(store.read().profiles);
    throw new UsageError(`profile "${name}" (from ${via}) does not exist`, {
      hint: known.length ? `known profiles: ${known.join(', ')}` : 'add one with `b24-events profile add`',
    });
  }
  return { kind: 'profile', name, profile };
}

/** The key under which env-mode token rotations are remembered. */
export function envSessionKey(portal: string, clientId: string): string {
  return `${portal}|${clientId}`;
}

function envSource(store: ConfigStore, env: NodeJS.ProcessEnv): CredentialSource {
  const missing = ['B24_CLIENT_ID', 'B24_CLIENT_SECRET'].filter((name) => !env[name]);
  if (!env.B24_REFRESH_TOKEN && !env.B24_ACCESS_TOKEN) missing.push('B24_REFRESH_TOKEN or B24_ACCESS_TOKEN');
  if (missing.length) {
    throw new AuthError(`B24_PORTAL is set but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`, {
      hint: 'set the missing variables, or unset B24_PORTAL to use a saved profile',
    });
  }
  const portal = normalizePortalUrl(env.B24_PORTAL ?? '', 'B24_PORTAL');
  const profile: Profile = {
    portal,
    oauthServer: env.B24_OAUTH_SERVER ? normalizePortalUrl(env.B24_OAUTH_SERVER, 'B24_OAUTH_SERVER') : DEFAULT_OAUTH_SERVER,
    clientId: env.B24_CLIENT_ID ?? '',
    clientSecret: env.B24_CLIENT_SECRET ?? '',
    accessToken: env.B24_ACCESS_TOKEN || undefined,
    refreshToken: env.B24_REFRESH_TOKEN || undefined,
    applicationToken: env.B24_APPLICATION_TOKEN || undefined,
  };
  const key = envSessionKey(portal, profile.clientId);
  const rotated = continuedChain(store.read().envSessions[key], profile.refreshToken);
  return { kind: 'env', key, profile: rotated ? { ...profile, ...rotated } : profile };
}

/** When the env refresh token was already spent by an earlier run here, continue from its successor. */
export function continuedChain(session: EnvSession | undefined, envRefreshToken: string | undefined): Partial<Profile> | undefined {
  if (!session || !envRefreshToken || !session.spentRefreshTokens.includes(envRefreshToken)) return undefined;
  return {
    accessToken: session.accessToken,
    accessTokenExpires: session.accessTokenExpires,
    refreshToken: session.refreshToken,
  };
}
