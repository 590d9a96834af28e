import type { Caller } from '../../api/events.js';
import type { Profile } from '../../config/schema.js';
import type { B24Client } from '../../api/client.js';
import type { Context } from '../../context.js';
import { CliError, ExitCode, UsageError } from '../../errors.js';
import { toCliError } from '../../error-report.js';

/** One portal a command works on. */
export interface PortalSession {
  /** saved profile name; undefined in environment-only mode */
  profile: string | undefined;
  portal: string;
  client: B24Client;
  /** who the credentials act as, when verification recorded it (a non-admin's binds are their own) */
  caller: Caller;
}

/** A portal's outcome: a value, or (with several portals) the error that stopped it. */
export type PortalResult<T> = { session: PortalSession; value: T; error?: undefined } | { session: PortalSession; value?: undefined; error: CliError };

export interface Portals {
  sessions: PortalSession[];
  /** several portals: failures are per portal and JSON output is `{"portals": […]}` */
  several: boolean;
}

/**
 * The portals to work on: each `--profile` (given more than once), every saved profile but the
 * sandboxes' (`--all-profiles`), or the usual credentials. Unknown profiles are refused before any request.
 */
export async function openPortals(ctx: Context, allProfiles: boolean): Promise<Portals> {
  const named = [...new Set(ctx.globals.profiles ?? [])];
  if (allProfiles && named.length) throw new UsageError('--all-profiles cannot be combined with --profile');
  if (!allProfiles && named.length <= 1) {
    const [client, source] = await Promise.all([ctx.client(), ctx.credentialSource()]);
    const session = { profile: source.kind === 'profile' ? source.name : undefined, portal: client.portal, client, caller: callerOf(source.profile) };
    return { sessions: [session], several: false };
  }
  const store = await ctx.store();
  const profiles = store.read().profiles;
  const saved = Object.keys(profiles);
  // A sandbox's throwaway profile is never "all": a manifest applied everywhere must not count on it.
  const names = allProfiles ? saved.filter((name) => !profiles[name]?.sandbox) : named;
  if (names.length === 0) {
    const skipped = saved.length ? ' (sandbox profiles are left out; name them with --profile)' : '';
    throw new UsageError(`--all-profiles: no profiles are saved${skipped}`, { hint: 'add one with `b24-events profile add`' });
  }
  const unknown = names.filter((name) => !saved.includes(name));
  if (unknown.length) {
    throw new UsageError(`profile ${unknown.map((n) => `"${n}"`).join(', ')} does not exist`, {
      hint: saved.length ? `known profiles: ${saved.join(', ')}` : 'add one with `b24-events profile add`',
    });
  }
  const sessions = await Promise.all(
    names.map(async (name) => {
      const { client, source } = await ctx.clientFor(name);
      return { profile: name, portal: client.portal, client, caller: callerOf(source.profile) };
    }),
  );
  return { sessions, several: true };
}

/** "prod (https://example.bitrix24.com)" or the portal URL alone in environment-only mode. */
/** Who a profile acts as, as learnt when it was verified (unknown in environment-only mode). */
function callerOf(profile: Profile): Caller {
  return { admin: profile.admin ?? null, id: profile.userId ?? null };
}

export function portalLabel(session: PortalSession): string {
  return session.profile ? `${session.profile} (${session.portal})` : session.portal;
}

/**
 * Runs `work` on each portal in turn. With one portal an error propagates as usual; with several
 * it is reported on stderr and recorded, and the other portals still run.
 */
export async function eachPortal<T>(ctx: Context, portals: Portals, work: (session: PortalSession) => Promise<T>): Promise<PortalResult<T>[]> {
  const results: PortalResult<T>[] = [];
  for (const session of portals.sessions) {
    try {
      results.push({ session, value: await work(session) });
    } catch (error) {
      if (!portals.several || ctx.signal.aborted) throw error;
      const failure = toCliError(error);
      const labelled = new CliError(`${portalLabel(session)}: ${failure.message}`, failure.exitCode, {
        hint: failure.hint,
        code: failure.code,
        cause: failure,
      });
      ctx.printer.error(labelled);
      results.push({ session, error: failure });
    }
  }
  return results;
}

/** Portal identity and error, in the shape `--json` prints per portal. */
export function portalJson(result: PortalResult<unknown>): Record<string, unknown> {
  const base = { profile: result.session.profile ?? null, portal: result.session.portal };
  return result.error ? { ...base, error: { code: result.error.code, message: result.error.message, hint: result.error.hint ?? null } } : base;
}

/** After the per-portal report: fail when any portal failed. */
export function throwIfPortalsFailed(results: PortalResult<unknown>[]): void {
  const failed = results.filter((r) => r.error);
  if (failed.length) {
    throw new CliError(`${failed.length} of ${results.length} portals failed`, ExitCode.failure, {
      hint: 'see the errors above; the other portals were handled',
    });
  }
}
