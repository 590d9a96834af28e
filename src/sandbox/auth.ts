// Resolves the credential of a /rest/ call (reference §1.1, §3): an incoming-webhook path, or an
// OAuth access token in `auth` (also `access_token` or a Bearer header, as the server accepts).
import type { IncomingHttpHeaders } from 'node:http';
import { eventScopes } from './catalogue.js';
import type { App, User } from './directory.js';
import { expiredToken, noAuthFound, wrongLicense } from './errors.js';
import type { Params } from './params.js';
import { strval } from './php.js';
import type { Portal } from './portal.js';

/** Who is calling and with what rights. */
export interface AuthContext {
  type: 'oauth' | 'webhook';
  user: User;
  /** The application, for OAuth calls only. */
  app?: App;
  scopes: readonly string[];
  /** Whose operating budget the call spends: the app's client id or the webhook. */
  entity: string;
  /** `auth_connector` as sent with an OAuth call; undefined when absent. */
  connector?: string;
}

/** The webhook part of a `/rest/{userId}/{code}/{method}` path. */
export interface WebhookPath {
  userId: number;
  code: string;
}

// The sandbox's webhooks carry every scope; real ones carry what the admin ticked.
const WEBHOOK_SCOPES: readonly string[] = [...new Set([...eventScopes(), 'user'])];

/** Authenticates a call or throws the 401/403 the portal would answer. */
export function authenticate(portal: Portal, webhook: WebhookPath | undefined, params: Params, headers: IncomingHttpHeaders): AuthContext {
  if (webhook) {
    const user = portal.directory.webhookUser(webhook.userId, webhook.code);
    if (!user) throw noAuthFound();
    return { type: 'webhook', user, scopes: WEBHOOK_SCOPES, entity: `${webhook.userId}/${webhook.code}` };
  }
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1] ?? '';
  const token = strval(params.get('auth')) || strval(params.get('access_token')) || bearer;
  const grant = token === '' ? undefined : portal.tokens.access(token);
  const app = grant && portal.directory.app(grant.clientId);
  const user = grant && portal.directory.user(grant.userId);
  if (!grant || !app || !user) throw noAuthFound();
  if (grant.expiresAt <= Date.now()) throw expiredToken();
  const context: AuthContext = { type: 'oauth', user, app, scopes: grant.scopes, entity: app.clientId };
  // Newer modules check mere presence, so even an empty `auth_connector=` needs the feature (§6.11).
  if (params.get('auth_connector') !== undefined) {
    if (!portal.options.features.rest_auth_connector) throw wrongLicense('auth_connector');
    context.connector = strval(params.get('auth_connector'));
  }
  return context;
}
