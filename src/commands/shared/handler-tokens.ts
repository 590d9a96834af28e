import type { CredentialSource } from '../../config/credentials.js';
import type { ConfigStore } from '../../config/store.js';
import type { Context } from '../../context.js';
import type { HandlerTokens } from '../../offline/sinks/forward.js';

/** What the portal said about the caller, for a profile that does not record it. */
export interface CallerFacts {
  scope?: string | undefined;
  userId?: number | undefined;
}

/**
 * The user tokens an app's online delivery carries, from the profile (`offline drain --with-auth`,
 * `listen`). The access token is the one the command itself uses (refreshed when it is about to
 * expire), `expires_in` what is left of it; the refresh token never leaves. The profile keeps no app
 * status: local apps, what this tool works with, are "L".
 */
export async function handlerTokens(ctx: Context, source: CredentialSource, facts: CallerFacts = {}): Promise<HandlerTokens> {
  const client = await ctx.client();
  const store = await ctx.store();
  return async (ts) => {
    const accessToken = await client.accessToken();
    const expires = tokenExpiry(store, source, accessToken);
    return {
      accessToken,
      expires,
      expiresIn: expires === undefined ? undefined : Math.max(0, expires - ts),
      scope: source.profile.scope ?? facts.scope ?? '',
      status: 'L',
      userId: source.profile.userId ?? facts.userId,
    };
  };
}

// The expiry saved with that token (tokens rotate while a command runs, so read it fresh each time).
function tokenExpiry(store: ConfigStore, source: CredentialSource, token: string): number | undefined {
  const saved = source.kind === 'profile' ? store.getProfile(source.name) : store.read().envSessions[source.key];
  if (saved?.accessToken === token) return saved.accessTokenExpires;
  return source.profile.accessToken === token ? source.profile.accessTokenExpires : undefined;
}
