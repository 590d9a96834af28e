// Public types of the sandbox portal. Other modules and the project's tests code against these names;
// `index.ts` re-exports them.

/** How to start a sandbox; every field is optional. */
export interface SandboxOptions {
  /** Interface to bind; loopback only. Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Access token lifetime. Default 3600. */
  accessTokenTtlSec?: number;
  /** Leaky bucket per portal; default `{ drainPerSec: 2, burst: 50 }`; `false` turns it off. */
  rateLimit?: { drainPerSec: number; burst: number } | false;
  /** Plan features; both default to true. */
  features?: { rest_offline_extended?: boolean; rest_auth_connector?: boolean };
  /** Authorization code lifetime. Default 30. */
  codeTtlSec?: number;
  /**
   * The per-method operating budget behind OPERATION_TIME_LIMIT: `limitSec` of execution per
   * `windowSec` (default 480 per 600, the docs' example), plus `chargeSec` simulated seconds per call
   * (a number, or per lower-case method name; default 0) so the limit can be reached at all.
   */
  operating?: { limitSec?: number; windowSec?: number; chargeSec?: number | Record<string, number> };
  /**
   * Serve HTTPS, as real portals do, with a certificate from a CA generated at start (`caCert`);
   * clients trust it through NODE_EXTRA_CA_CERTS or a `ca` option.
   */
  tls?: boolean;
}

/** A local application registered on the portal. */
export interface SandboxApp {
  clientId: string;
  clientSecret: string;
  applicationToken: string;
  scopes: string[];
  redirectUri?: string;
}

/** The OAuth server's token response (reference §4.2). */
export interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires: number;
  expires_in: number;
  scope: string;
  member_id: string;
  client_endpoint: string;
  server_endpoint: string;
  domain: string;
  status: string;
  user_id: number;
}

/** A scripted failure for the next matching /rest/ request(s). */
export type Fault =
  | { method?: string; times?: number; kind: 'error'; status: number; error: string; description?: string }
  | { method?: string; times?: number; kind: 'html'; status: number }
  | { method?: string; times?: number; kind: 'reset' }
  | { method?: string; times?: number; kind: 'delay'; ms: number };

/** What `Sandbox.trigger` did: queue rows added (a coalesced repeat adds none) and online POSTs sent (loopback only). */
export interface TriggerResult {
  queued: number;
  posted: number;
}

/** Options of `Sandbox.trigger`. */
export interface TriggerOptions {
  /** The acting user, written to EVENT_ADDITIONAL.user_id; 0/undefined = no user (automation). */
  userId?: number;
  /** The app whose REST call caused the change; its own queue with the same connector is skipped. */
  fromClientId?: string;
  /** The `auth_connector` of that REST call. */
  connector?: string;
}

/** One event of a `triggerMany` request. */
export interface TriggerItem extends TriggerOptions {
  event: string;
  data: unknown;
}

/** One /rest/ request as seen by the portal. */
export interface RequestLogEntry {
  method: string;
  at: number;
}

/** A running sandbox portal and its in-process control surface. */
export interface Sandbox {
  readonly url: string;
  readonly oauthUrl: string;
  readonly memberId: string;
  /** With `tls`: the PEM of the CA that signed the server certificate. */
  readonly caCert: string | undefined;
  close(): Promise<void>;
  /**
   * A restart as clients see it: the server stops listening and drops every connection (requests are
   * refused), while the portal keeps its state (apps, tokens, handlers, queues); `resume()` listens again
   * on the same port.
   */
  suspend(): Promise<void>;
  resume(): Promise<void>;
  addUser(opts: { admin: boolean; name?: string }): number;
  createApp(opts: { scopes: string[]; clientId?: string; clientSecret?: string; redirectUri?: string }): SandboxApp;
  issueTokens(clientId: string, userId: number): TokenPair;
  createWebhook(userId: number): string;
  expireAccessTokens(): void;
  trigger(event: string, data: unknown, opts?: TriggerOptions): TriggerResult;
  /** Several events within one portal request: ONOFFLINEEVENT handlers hear of them once. */
  triggerMany(items: TriggerItem[]): TriggerResult;
  injectFault(fault: Fault): void;
  requestLog(): RequestLogEntry[];
  handlers(clientId?: string): unknown[];
  queue(clientId?: string): unknown[];
}
