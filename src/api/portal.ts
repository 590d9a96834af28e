import { runBatch, type BatchOutcome } from './batch.js';
import type { B24Client } from './client.js';

export interface PortalStatus {
  application: Record<string, unknown> | null;
  user: { id: number | null; name: string | null; admin: boolean | null };
  scopes: string[] | null;
  features: { rest_offline_extended: boolean | null; rest_auth_connector: boolean | null };
  handlers: number | null;
  /** sub-calls that failed, code by key, so callers can explain what is unknown */
  errors: Record<string, string>;
}

/**
 * Everything `status` and setup verification need, in one `batch` request (one rate-limit slot).
 * `event.get` is included because it is the call a webhook or a non-application token fails.
 */
export async function fetchPortalStatus(client: B24Client): Promise<PortalStatus> {
  const outcomes = await runBatch(
    client,
    [
      { key: 'app', method: 'app.info' },
      { key: 'admin', method: 'user.admin' },
      { key: 'scope', method: 'scope' },
      { key: 'profile', method: 'profile' },
      { key: 'offline', method: 'feature.get', params: { CODE: 'rest_offline_extended' } },
      { key: 'connector', method: 'feature.get', params: { CODE: 'rest_auth_connector' } },
      { key: 'handlers', method: 'event.get' },
    ],
    { idempotent: true },
  );
  const get = (key: string): unknown => {
    const outcome = outcomes.find((o) => o.key === key);
    return outcome?.ok ? outcome.result : undefined;
  };
  const profile = (get('profile') ?? {}) as Record<string, unknown>;
  const handlers = get('handlers');
  return {
    application: (get('app') as Record<string, unknown> | undefined) ?? null,
    user: {
      id: profile.ID !== undefined ? Number(profile.ID) : null,
      name: [profile.NAME, profile.LAST_NAME].filter((part) => typeof part === 'string' && part).join(' ') || null,
      admin: typeof get('admin') === 'boolean' ? (get('admin') as boolean) : profile.ADMIN !== undefined ? Boolean(profile.ADMIN) : null,
    },
    scopes: Array.isArray(get('scope')) ? (get('scope') as string[]) : null,
    features: { rest_offline_extended: featureFlag(get('offline')), rest_auth_connector: featureFlag(get('connector')) },
    handlers: Array.isArray(handlers) ? handlers.length : null,
    errors: Object.fromEntries(outcomes.filter((o): o is Extract<BatchOutcome, { ok: false }> => !o.ok).map((o) => [o.key, o.error.code])),
  };
}

/** `{value: "Y"|"N"}`; on-premise without a check answers "<lang>_selfhosted", which proves nothing. */
function featureFlag(result: unknown): boolean | null {
  const value = (result as { value?: unknown } | undefined)?.value ?? result;
  if (value === 'Y' || value === true) return true;
  if (value === 'N' || value === false) return false;
  return null;
}

/** `scope`: the application's granted scopes, or (`full`) every scope the portal has. */
export async function listScopes(client: B24Client, query: { full?: boolean } = {}): Promise<string[]> {
  const result = await client.result<unknown>('scope', query.full ? { full: true } : {}, { idempotent: true });
  return Array.isArray(result) ? result.filter((scope): scope is string => typeof scope === 'string') : [];
}
