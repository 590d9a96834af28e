// The body of an online event delivery, with the key order of a real one. Source: the delivery
// captured from a live portal in bitrix24/b24phpsdk tests/Unit/Services/RemoteEventsFabricTest.php
// (kept as test/fixtures/captured/): top level `event, event_handler_id, data, ts, auth`; an app's
// `auth` block `access_token, expires, expires_in, scope, domain, server_endpoint, status,
// client_endpoint, member_id, user_id, application_token`. Tokenless blocks (outgoing webhooks,
// ONAPPUNINSTALL, automation) follow docs api-reference/events/index.md and the SDK's
// EventOnAppUnInstallHandlerParams: `domain, client_endpoint, server_endpoint, member_id, application_token`.
import { phpFormEncode } from './php-form.js';

/** Events declared without auth: their deliveries carry no user tokens (docs events/index.md; ref §8.2). */
export const TOKENLESS_EVENTS: ReadonlySet<string> = new Set(['ONAPPUNINSTALL', 'ONAPPMETHODCONFIRM']);

/** Where the portal is and who it is. */
export interface PortalIdentity {
  /** host[:port], e.g. example.bitrix24.com */
  domain: string;
  /** `https://PORTAL/rest/` */
  clientEndpoint: string;
  /** the OAuth server's REST base, e.g. `https://oauth.bitrix.info/rest/` */
  serverEndpoint: string;
  memberId?: string | undefined;
  applicationToken?: string | undefined;
}

/** The user tokens an app's delivery carries (never for outgoing webhooks or automation). */
export interface DeliveryTokens {
  accessToken: string;
  /** epoch seconds */
  expires?: number | undefined;
  expiresIn?: number | undefined;
  scope: string;
  status: string;
  userId?: number | string | undefined;
  /** only ONAPPINSTALL and ONOFFLINEEVENT carry one */
  refreshToken?: string | undefined;
}

/** One delivery: what happened, to which registration, and the credentials for calling back. */
export interface Delivery {
  event: string;
  eventHandlerId: number | string;
  data?: unknown;
  /** epoch seconds of sending */
  ts: number;
  identity: PortalIdentity;
  tokens?: DeliveryTokens | undefined;
}

/** The `auth` block, keys in the order a real portal writes them; absent values are left out. */
export function deliveryAuth(identity: PortalIdentity, tokens?: DeliveryTokens): Record<string, unknown> {
  if (!tokens) {
    return {
      domain: identity.domain,
      client_endpoint: identity.clientEndpoint,
      server_endpoint: identity.serverEndpoint,
      member_id: identity.memberId,
      application_token: identity.applicationToken,
    };
  }
  return {
    access_token: tokens.accessToken,
    expires: tokens.expires,
    expires_in: tokens.expiresIn,
    scope: tokens.scope,
    domain: identity.domain,
    server_endpoint: identity.serverEndpoint,
    status: tokens.status,
    client_endpoint: identity.clientEndpoint,
    member_id: identity.memberId,
    user_id: tokens.userId,
    // Not in the captured body (an ordinary event); placed where the SDK's HandlerAuthParams lists it.
    refresh_token: tokens.refreshToken,
    application_token: identity.applicationToken,
  };
}

/** The delivery's fields in wire order. */
export function deliveryFields(delivery: Delivery): Record<string, unknown> {
  return {
    event: delivery.event.toUpperCase(),
    event_handler_id: delivery.eventHandlerId,
    data: delivery.data,
    ts: delivery.ts,
    auth: deliveryAuth(delivery.identity, delivery.tokens),
  };
}

/** The form body a portal POSTs (`application/x-www-form-urlencoded`). */
export function deliveryBody(delivery: Delivery): string {
  return phpFormEncode(deliveryFields(delivery));
}
