// OAuth grants: access tokens, single-use refresh tokens and single-use authorization codes.
// Refresh tokens form a chain that must never branch (reference §4.1): redeeming one kills it, so a
// client that refreshes the same token twice gets `invalid_grant` here just as it would in the cloud.
import type { App } from './directory.js';
import { oauthToken, randomAlnum } from './random.js';
import { epochSeconds } from './time.js';
import type { TokenPair } from './types.js';

const REFRESH_TTL_MS = 180 * 24 * 3600 * 1000;

/** What an access token grants. */
export interface AccessGrant {
  clientId: string;
  userId: number;
  scopes: string[];
  expiresAt: number;
}

interface Grant {
  clientId: string;
  userId: number;
  expiresAt: number;
}

/** Addresses written into token responses; known only once the server listens. */
export interface TokenEndpoints {
  clientEndpoint: string;
  serverEndpoint: string;
  oauthDomain: string;
  memberId: string;
}

/** Issues and redeems the portal's OAuth grants. */
export class TokenStore {
  private readonly accessTokens = new Map<string, AccessGrant>();
  private readonly refreshTokens = new Map<string, Grant>();
  private readonly codes = new Map<string, Grant>();

  constructor(
    private readonly accessTtlSec: number,
    private readonly codeTtlSec: number,
    private readonly endpoints: () => TokenEndpoints,
  ) {}

  /** A fresh token pair for `userId` in `app`; without `withRefresh` the refresh token is ''. */
  issue(app: App, userId: number, withRefresh = true): TokenPair {
    const now = Date.now();
    const expiresAt = now + this.accessTtlSec * 1000;
    const accessToken = oauthToken(epochSeconds(expiresAt));
    this.accessTokens.set(accessToken, { clientId: app.clientId, userId, scopes: [...app.scopes], expiresAt });
    let refreshToken = '';
    if (withRefresh) {
      refreshToken = oauthToken(epochSeconds(now + REFRESH_TTL_MS));
      this.refreshTokens.set(refreshToken, { clientId: app.clientId, userId, expiresAt: now + REFRESH_TTL_MS });
    }
    const ends = this.endpoints();
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      expires: epochSeconds(expiresAt),
      expires_in: this.accessTtlSec,
      scope: app.scopes.join(','),
      member_id: ends.memberId,
      client_endpoint: ends.clientEndpoint,
      server_endpoint: ends.serverEndpoint,
      domain: ends.oauthDomain,
      status: 'L',
      user_id: userId,
    };
  }

  /** The grant behind an access token, expired or not; undefined when unknown. */
  access(token: string): AccessGrant | undefined {
    return this.accessTokens.get(token);
  }

  /** Makes every access token issued so far expired; later ones are unaffected. */
  expireAll(): void {
    const past = Date.now() - 1;
    for (const grant of this.accessTokens.values()) grant.expiresAt = Math.min(grant.expiresAt, past);
  }

  /** Redeems a refresh token of `app` once; undefined for unknown, used, expired or foreign tokens. */
  redeemRefresh(token: string, app: App): TokenPair | undefined {
    const grant = takeGrant(this.refreshTokens, token, app);
    return grant && this.issue(app, grant.userId);
  }

  /** A single-use authorization code for `userId`, valid `codeTtlSec`. */
  createCode(app: App, userId: number): string {
    const code = randomAlnum(32);
    this.codes.set(code, { clientId: app.clientId, userId, expiresAt: Date.now() + this.codeTtlSec * 1000 });
    return code;
  }

  /** Exchanges a code once; undefined for unknown, used, expired or foreign codes. */
  redeemCode(code: string, app: App): TokenPair | undefined {
    const grant = takeGrant(this.codes, code, app);
    return grant && this.issue(app, grant.userId);
  }
}

// A failed attempt with the wrong client leaves the grant alive: only its rightful owner consumes it.
function takeGrant(grants: Map<string, Grant>, key: string, app: App): Grant | undefined {
  const grant = grants.get(key);
  if (!grant || grant.clientId !== app.clientId) return undefined;
  grants.delete(key);
  return grant.expiresAt > Date.now() ? grant : undefined;
}
