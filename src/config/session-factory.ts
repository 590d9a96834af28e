import { B24Client } from '../api/client.js';
import { createDispatcher, DEFAULT_TIMEOUTS, type Timeouts } from '../api/http.js';
import { DEFAULT_RATE_LIMIT, parseRateLimit, type RateLimit } from '../api/pacer.js';
import { namedPortal, type OAuthTransport, type TokenReply } from '../api/oauth.js';
import { UsageError } from '../errors.js';
import { OAuthSession, type TokenStore } from '../api/session.js';
import type { Redactor } from '../api/redact.js';
import type { Printer } from '../output/printer.js';
import { terminalSafe } from '../output/sanitize.js';
import type { ConfigStore } from './store.js';
import { userAgent } from '../version.js';
import { resolveCredentialSource, type CredentialSource } from './credentials.js';
import { envTokenStore, profileTokenStore } from './token-stores.js';
import type { Profile } from './schema.js';
import { installationCheck } from './installation.js';

/**
 * What building a session needs from its caller (the CLI's Context provides all of it): settings,
 * the config store, redaction, where notes go, the interrupt and the clock.
 */
export interface SessionDeps {
  readonly env: NodeJS.ProcessEnv;
  readonly globals: { readonly timeout?: number | undefined; readonly profile?: string | undefined };
  readonly redactor: Redactor;
  readonly printer: Pick<Printer, 'note' | 'warn'>;
  readonly signal: AbortSignal;
  store(): Promise<ConfigStore>;
  /** whether --debug traces are on */
  readonly debugEnabled: boolean;
  /** a redacted trace line (with --debug) */
  debug(line: string): void;
  /** work an interrupt must not cut short */
  critical<T>(fn: () => Promise<T>): Promise<T>;
  onClose(closer: () => Promise<void>): void;
  /** epoch milliseconds */
  now(): number;
}

/** Per-request timeout from `--timeout` / B24_TIMEOUT (seconds). */
export function timeoutsFor(ctx: SessionDeps): Timeouts {
  const seconds = ctx.globals.timeout ?? envSeconds(ctx.env.B24_TIMEOUT);
  return seconds ? { connectMs: Math.min(DEFAULT_TIMEOUTS.connectMs, seconds * 1000), totalMs: seconds * 1000 } : DEFAULT_TIMEOUTS;
}

function envSeconds(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`B24_TIMEOUT must be a positive number of seconds, not "${text}"`);
  return seconds;
}

function rateLimitFor(ctx: SessionDeps): RateLimit | false {
  const text = ctx.env.B24_RATE_LIMIT;
  const parsed = parseRateLimit(text);
  if (parsed === undefined && text) throw new UsageError(`B24_RATE_LIMIT must look like "2/50", "5/250" or "off", not "${text}"`);
  return parsed ?? DEFAULT_RATE_LIMIT;
}

/**
 * Builds the authenticated client for the command's credentials (or for the named profile). A caller
 * that resolved the credentials before loading this module (and with it the HTTP stack) passes them.
 */
export async function createSession(
  ctx: SessionDeps,
  profileName = ctx.globals.profile,
  resolved?: CredentialSource,
): Promise<{ client: B24Client; source: CredentialSource }> {
  const store = await ctx.store();
  const source = resolved ?? resolveCredentialSource(store, ctx.env, profileName);
  const tokenStore =
    source.kind === 'profile'
      ? profileTokenStore(store, source.name, ctx.redactor, source.profile)
      : envTokenStore(store, source, ctx.env.B24_REFRESH_TOKEN, ctx.redactor, (m) => ctx.printer.warn(m));
  const owner = source.kind === 'profile' ? { name: source.name, saved: true } : {};
  return { client: buildClient(ctx, source.profile, tokenStore, owner), source };
}

/** HTTP settings for the OAuth server and the portal; the connections close with the context. */
export function transportFor(ctx: SessionDeps): OAuthTransport {
  const timeouts = timeoutsFor(ctx);
  const dispatcher = createDispatcher(timeouts);
  ctx.onClose(() => dispatcher.close());
  // Traces quote the portal's replies: printable only, like everything else on the terminal.
  // no tracer without --debug: the lines (a copy of every request, the head of every reply) are not even built
  const trace = ctx.debugEnabled ? (line: string) => ctx.debug(terminalSafe(line)) : undefined;
  return { dispatcher, timeouts, userAgent, ...(trace ? { trace } : {}), critical: (fn) => ctx.critical(fn) };
}

/**
 * A client for any profile over the given token store: `name` is none in environment-only mode, and
 * `saved` when the profile is used as saved (not being verified with settings the user just gave),
 * the one case where a portal with another member_id is a sandbox restarted under it.
 */
export function buildClient(ctx: SessionDeps, profile: Profile, tokenStore: TokenStore, owner: { name?: string; saved?: boolean }): B24Client {
  const { name } = owner;
  ctx.redactor.add(profile.clientSecret, profile.accessToken, profile.refreshToken, profile.applicationToken);
  const transport = transportFor(ctx);
  const { dispatcher, timeouts, trace } = transport;
  const oauth = { server: profile.oauthServer, clientId: profile.clientId, clientSecret: profile.clientSecret };
  // Token replies name the app's portal (client_endpoint); calls go there only when the reply's
  // own domain confirms it, so a rewritten reply cannot send the tokens to another host.
  let refused = '';
  const adopt = (reply: TokenReply) => {
    const named = namedPortal(reply);
    if (!named || named.origin === client.portal || named.origin === refused) return;
    if (!named.confirmed) {
      refused = named.origin;
      ctx.printer.warn(
        `the OAuth server names ${named.origin} as this application's portal, but its reply does not confirm it (domain ${reply.domain ?? 'missing'}); calls stay with ${client.portal}. If the portal really moved: ${moveHint(name, named.origin)}`,
      );
      return;
    }
    ctx.printer.note(`the OAuth server names ${named.origin} as this application's portal (was ${client.portal}); using it`);
    client.usePortal(named.origin);
  };
  const checkInstallation = name && owner.saved ? installationCheck({ name, memberId: profile.memberId }, () => client.portal, transport) : undefined;
  const tokens = new OAuthSession(tokenStore, oauth, transport, {
    onRenewed: adopt,
    now: () => ctx.now() / 1000,
    ...(checkInstallation ? { checkInstallation } : {}),
  });
  const client: B24Client = new B24Client({
    portal: profile.portal,
    tokens,
    dispatcher,
    userAgent,
    timeouts,
    rateLimit: rateLimitFor(ctx),
    redactor: ctx.redactor,
    trace,
    notice: (message) => ctx.printer.note(message),
    signal: ctx.signal,
  });
  return client;
}

/** How to follow a portal move, named so it can be run as printed. */
function moveHint(name: string | undefined, origin: string): string {
  return name ? `b24-events login --profile ${name} --portal ${origin}` : `set B24_PORTAL=${origin}`;
}
