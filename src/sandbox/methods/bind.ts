// event.bind and event.unbind (reference §5.1, §5.2, §12.5–13), checks in the server's order.
import { isBindable, OFFLINE_DISABLED } from '../catalogue.js';
import { accessDenied, argumentError, coreError, emptyArgument, RestError } from '../errors.js';
import type { HandlerRecord } from '../handler-store.js';
import type { Params } from '../params.js';
import { intval, isPlainObject, strval } from '../php.js';
import { connectorOf, requireOAuth, type CallContext, type MethodOutcome } from './context.js';

/** event.bind: registers an online handler or an offline subscription for the calling app. */
export function eventBind(ctx: CallContext): MethodOutcome {
  const app = requireOAuth(ctx);
  const { params, auth } = ctx;
  const authType = intval(params.get('auth_type'));
  if (!auth.user.admin && authType > 0 && authType !== auth.user.id) {
    throw accessDenied('Event binding with AUTH_TYPE requires administrator access rights');
  }
  const event = eventName(params);
  const offline = isOffline(params);
  if (offline && !auth.user.admin) throw accessDenied('Offline events binding requires administrator access rights');
  const handler = offline ? '' : strval(params.get('handler'));
  if (!offline) {
    if (handler === '') throw emptyArgument('HANDLER');
    checkHandlerUrl(handler);
  }
  if (!isBindable(event, auth.scopes)) throw new RestError(400, 'ERROR_EVENT_NOT_FOUND', 'Event not found');
  if (offline && OFFLINE_DISABLED.has(event)) throw argumentError('Offline event cannot be registered for this event.');
  const record = ctx.portal.handlers.add({
    APP_ID: app.id,
    EVENT_NAME: event,
    EVENT_HANDLER: handler,
    USER_ID: offline ? 0 : auth.user.admin ? authType : auth.user.id,
    CONNECTOR_ID: connectorOf(ctx),
    OPTIONS: bindOptions(event, params.get('options')),
    APPLICATION_TOKEN: app.applicationToken,
  });
  if (!record) throw coreError('Unable to set event handler: Handler already binded');
  return { result: true };
}

/** event.unbind: deletes exactly matching handlers of the calling app and reports how many. */
export function eventUnbind(ctx: CallContext): MethodOutcome {
  const app = requireOAuth(ctx);
  const { params, auth } = ctx;
  const event = eventName(params);
  const offline = isOffline(params);
  if (offline && !auth.user.admin) throw accessDenied('Offline events unbinding requires administrator access rights');
  const handler = strval(params.get('handler'));
  if (!offline && handler === '') throw emptyArgument('HANDLER');
  let matches: (h: HandlerRecord) => boolean;
  if (offline) {
    const connector = connectorOf(ctx);
    matches = (h) => h.EVENT_HANDLER === '' && h.CONNECTOR_ID === connector;
  } else {
    const userId = unbindUserFilter(ctx);
    matches = (h) => h.EVENT_HANDLER === handler && (userId === undefined || h.USER_ID === userId);
  }
  const count = ctx.portal.handlers.remove((h) => h.APP_ID === app.id && h.EVENT_NAME === event && matches(h));
  return { result: { count } };
}

// Non-admins compare `auth_type` with PHP's `!==` against their integer id: a form-encoded "15" or a 0
// fails, only a JSON integer equal to the own id passes (§5.2 trap). Admins filter only when given.
function unbindUserFilter(ctx: CallContext): number | undefined {
  const { params, auth } = ctx;
  if (!auth.user.admin) {
    if (params.has('auth_type') && params.get('auth_type') !== auth.user.id) {
      throw accessDenied('Event unbinding with AUTH_TYPE requires administrator access rights');
    }
    return auth.user.id;
  }
  return params.has('auth_type') ? intval(params.get('auth_type')) : undefined;
}

function eventName(params: Params): string {
  const event = strval(params.get('event')).trim().toUpperCase();
  if (event === '') throw emptyArgument('EVENT');
  return event;
}

function isOffline(params: Params): boolean {
  const type = strval(params.get('event_type')).toLowerCase() || 'online';
  if (type !== 'online' && type !== 'offline') throw argumentError('Value must be one of {online|offline}', 'EVENT_TYPE');
  return type === 'offline';
}

// HandlerHelper::checkCallback: host with a dot past position 0 first, then the scheme, no domain match.
function checkHandlerUrl(url: string): void {
  const match = /^(?:([^:/?#]+):)?\/\/([^/?#]*)/.exec(url);
  const host = (match?.[2] ?? '').replace(/^.*@/, '').replace(/:\d*$/, '');
  if (host.indexOf('.') <= 0) throw new RestError(400, 'ERROR_WRONG_HANDLER_URL', 'Wrong handler URL');
  const scheme = match?.[1];
  if (scheme !== 'http' && scheme !== 'https') {
    throw new RestError(400, 'ERROR_UNSUPPORTED_PROTOCOL', 'Unsupported handler protocol');
  }
}

// Only ONOFFLINEEVENT declares an option (minTimeout); every other key is dropped silently.
function bindOptions(event: string, raw: unknown): Record<string, unknown> {
  if (event !== 'ONOFFLINEEVENT' || !isPlainObject(raw) || raw.minTimeout === undefined) return {};
  return { minTimeout: Math.max(0, intval(raw.minTimeout)) };
}
