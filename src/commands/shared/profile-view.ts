import { maskSecret } from '../../api/redact.js';
import type { Profile } from '../../config/schema.js';

/** A profile as shown to its owner: every secret masked. */
export function profileView(name: string, profile: Profile, isDefault: boolean) {
  return {
    name,
    default: isDefault,
    portal: profile.portal,
    oauth_server: profile.oauthServer,
    client_id: profile.clientId,
    client_secret: maskSecret(profile.clientSecret),
    access_token: maskSecret(profile.accessToken),
    access_token_expires: profile.accessTokenExpires ? new Date(profile.accessTokenExpires * 1000).toISOString() : null,
    refresh_token: maskSecret(profile.refreshToken),
    application_token: profile.applicationToken ? maskSecret(profile.applicationToken) : null,
    member_id: profile.memberId ?? null,
    scope: profile.scope ?? null,
    user_id: profile.userId ?? null,
  };
}
export type ProfileView = ReturnType<typeof profileView>;
