import { ApiError, MissingTokenError } from './errors.js';
import { refreshTokens, type OAuthClientConfig, type OAuthTransport, type TokenReply } from './oauth.js';

export interface TokenState {
  accessToken?: string | undefined;
  /** epoch seconds */
  accessTokenExpires?: number | undefined;
  refreshToken?: string | undefined;
}

/** What an exclusive section learns about its lock: whether it took over from a lost owner. */
export interface ExclusiveFacts {
  readonly tookOver?: unknown;
}

/**
 * Where the token chain lives. `load` must read fresh state (another process may have rotated it),
 * `save` must be atomic, and `exclusive` must exclude other processes, not just other callers.
 */
export interface TokenStore {
  load(): TokenState | Promise<TokenState>;
  save(reply: TokenReply): void | Promise<void>;
  exclusive<T>(fn: (facts?: ExclusiveFacts) => Promise<T>): Promise<T>;
  /** Throws when the chain now belongs elsewhere (re-pointed since start); a file it cannot read says nothing. */
  recheck?(): Promise<void>;
}

/** What the REST client needs from an authorization source. */
export interface TokenSource {
  accessToken(): Promise<string>;
  /** The portal rejected `rejected` as expired: return a fresh token, refreshing at most once. */
  renew(rejected: string): Promise<string>;
  /** The portal does not know `rejected` at all (NO_AUTH_FOUND): throws what explains it, if anything does. */
  refused?(rejected: string): Promise<void>;
}

/**
 * Whether the portal is still the installation the tokens belong to; throws when it is not. Asked
 * before a refresh token is spent (`refresh`) and when the portal refuses the token in hand (`refused`).
 */
export type InstallationCheck = (when: 'refresh' | 'refused') => Promise<void>;

const EXPIRY_MARGIN_SEC = 60;

/**
 * Access tokens for one application on one portal. The refresh token is treated as single-use: the
 * new pair is saved before the new access token is used, and only one process refreshes at a time.
 * A token in hand is used while it is valid; the store is read again only to refresh, so a long
 * run is not at the mercy of a config file being edited meanwhile.
 */
export class OAuthSession implements TokenSource {
  private readonly now: () => number;
  private readonly onRenewed: ((reply: TokenReply) => void) | undefined;
  private readonly checkInstallation: InstallationCheck;
  private inHand: TokenState | undefined;

  constructor(
    private readonly store: TokenStore,
    private readonly oauth: OAuthClientConfig,
    private readonly transport: OAuthTransport,
    options: { now?: () => number; onRenewed?: (reply: TokenReply) => void; checkInstallation?: InstallationCheck } = {},
  ) {
    this.now = options.now ?? (() => Date.now() / 1000);
    this.onRenewed = options.onRenewed;
    this.checkInstallation = options.checkInstallation ?? (() => Promise.resolve());
  }

  async accessToken(): Promise<string> {
    const state = this.inHand ?? (this.inHand = await this.store.load());
    if (state.accessToken && !this.isExpired(state)) return state.accessToken;
    if (!state.refreshToken) {
      if (state.accessToken) return state.accessToken; // let the portal be the judge
      throw new MissingTokenError('no access token and no refresh token');
    }
    return this.renew(state.accessToken ?? '');
  }

  renew(rejected: string): Promise<string> {
    return this.store.exclusive(async (facts) => {
      const state = (this.inHand = await this.store.load());
      // Another process refreshed while we waited for the lock: use its token, spend nothing.
      if (this.usable(state, rejected)) return state.accessToken;
      const refreshToken = state.refreshToken;
      if (!refreshToken) throw new MissingTokenError('the access token expired and there is no refresh token');
      try {
        return await this.spend(refreshToken);
      } catch (error) {
        if (!facts?.tookOver || !(error instanceof ApiError && error.code === 'invalid_grant')) throw error;
        // The lock was taken from an owner that stopped answering: it may have spent this token
        // and saved the successor after our read. Look once more before calling the chain broken.
        const again = (this.inHand = await this.store.load());
        if (this.usable(again, rejected)) return again.accessToken;
        if (!again.refreshToken || again.refreshToken === refreshToken) throw error;
        return await this.spend(again.refreshToken);
      }
    });
  }

  /** A token the portal does not know: the store says whether it was re-pointed meanwhile, then the check. */
  async refused(): Promise<void> {
    await this.store.recheck?.();
    await this.checkInstallation('refused');
  }

  /** Spends a refresh token; the successor is saved before its access token is handed out. */
  private async spend(refreshToken: string): Promise<string> {
    await this.checkInstallation('refresh');
    const critical = this.transport.critical ?? ((fn) => fn());
    const reply = await critical(async () => {
      const fresh = await refreshTokens(this.oauth, refreshToken, this.transport);
      await this.store.save(fresh);
      return fresh;
    });
    this.inHand = { accessToken: reply.access_token, refreshToken: reply.refresh_token, accessTokenExpires: expiryOf(reply, this.now()) };
    this.onRenewed?.(reply);
    return reply.access_token;
  }

  private usable(state: TokenState, rejected: string): state is TokenState & { accessToken: string } {
    return Boolean(state.accessToken && state.accessToken !== rejected && !this.isExpired(state));
  }

  private isExpired(state: TokenState): boolean {
    return state.accessTokenExpires !== undefined && state.accessTokenExpires - EXPIRY_MARGIN_SEC <= this.now();
  }
}

/** Expiry as epoch seconds; the relative `expires_in` is immune to clock skew, so it wins. */
export function expiryOf(reply: TokenReply, now: number = Date.now() / 1000): number | undefined {
  if (reply.expires_in) return Math.floor(now + reply.expires_in);
  return reply.expires;
}
