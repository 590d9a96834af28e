import { hostname } from 'node:os';
import { UsageError } from '../errors.js';
import { PROFILE_NAME, type ConfigFile, type Profile, type SandboxOwner } from './schema.js';
import type { ConfigStore } from './store.js';
import type { Sandbox, SandboxApp, TokenPair } from '../sandbox/index.js';

/** The marker of a profile the current process (a `b24-events sandbox`) creates. */
export function currentOwner(): SandboxOwner {
  return { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
}

/** Whether a sandbox that owns a profile still runs; one on another host cannot be checked, so it counts as running. */
export function ownerRunning(owner: SandboxOwner): boolean {
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, but another user's
  }
}

export interface SandboxClaim {
  /** the profile name the sandbox saved its credentials under */
  name: string;
  /** names passed over because a running sandbox owns them, with its pid */
  busy: { name: string; pid: number }[];
  /** profiles of sandboxes that no longer run, removed (one of them may be `name` again) */
  cleaned: string[];
}

const MAX_SUFFIX = 99;

/**
 * Saves a sandbox's profile under the config lock. Profiles left by sandboxes that no longer run
 * are removed first. A profile a sandbox did not create is never replaced, and neither is the
 * profile of a running sandbox: with the default name the next free `NAME-2`, `NAME-3`… is taken,
 * with a name the user chose (`explicit`) that is refused. Never touches the default profile.
 */
export function claimSandboxProfile(store: ConfigStore, request: { name: string; explicit: boolean; profile: Profile }): Promise<SandboxClaim> {
  const owner = request.profile.sandbox;
  if (!owner) throw new Error('a sandbox profile carries its owner');
  return store.update((config) => {
    const cleaned = removeAbandoned(config);
    const busy: SandboxClaim['busy'] = [];
    const candidates = request.explicit ? [request.name] : [request.name, ...suffixed(request.name)];
    for (const [index, candidate] of candidates.entries()) {
      const existing = config.profiles[candidate];
      if (!existing) {
        config.profiles[candidate] = request.profile;
        return { name: candidate, busy, cleaned };
      }
      if (existing.sandbox) busy.push({ name: candidate, pid: existing.sandbox.pid });
      else if (index === 0) throw notASandboxProfile(candidate, existing);
    }
    throw runningElsewhere(request.name, busy);
  });
}

/** Removes the sandbox's own profile when it stops (only while it still carries this owner's marker). */
export function releaseSandboxProfile(store: ConfigStore, name: string, owner: SandboxOwner): Promise<boolean> {
  return store.update((config) => {
    const marker = config.profiles[name]?.sandbox;
    if (!marker || marker.pid !== owner.pid || marker.startedAt !== owner.startedAt || marker.host !== owner.host) return false;
    delete config.profiles[name];
    if (config.defaultProfile === name) delete config.defaultProfile;
    return true;
  });
}

function removeAbandoned(config: ConfigFile): string[] {
  const gone = Object.entries(config.profiles).filter(([, profile]) => profile.sandbox && !ownerRunning(profile.sandbox));
  for (const [name] of gone) {
    delete config.profiles[name];
    if (config.defaultProfile === name) delete config.defaultProfile;
  }
  return gone.map(([name]) => name);
}

function suffixed(name: string): string[] {
  return Array.from({ length: MAX_SUFFIX - 1 }, (_, i) => `${name}-${i + 2}`).filter((candidate) => PROFILE_NAME.test(candidate));
}

function notASandboxProfile(name: string, existing: Profile): UsageError {
  return new UsageError(`profile "${name}" (${existing.portal}) was not created by a sandbox; it was left unchanged`, {
    hint: 'save the sandbox under another name with --save-as NAME, or run it with --no-save',
  });
}

function runningElsewhere(name: string, busy: SandboxClaim['busy']): UsageError {
  const [first] = busy;
  const owner = first ? `the sandbox running as pid ${first.pid}` : 'running sandboxes';
  return new UsageError(`profile "${name}" belongs to ${owner}; it was left unchanged`, {
    hint: 'save this sandbox under another name with --save-as NAME (or --no-save), or stop that sandbox first',
  });
}

/**
 * The profile of a sandbox's demo application (its credentials and first token pair), as
 * `b24-events sandbox` and `demo` save it; the caller adds its marks (owner, admin).
 */
export function demoAppProfile(sandbox: Pick<Sandbox, 'url' | 'oauthUrl'>, app: SandboxApp, tokens: TokenPair): Profile {
  return {
    portal: sandbox.url,
    oauthServer: sandbox.oauthUrl,
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
}
