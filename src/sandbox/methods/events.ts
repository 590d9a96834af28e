// event.get, events and event.test (reference §5.3–5.5, §12.14–16).
import { eventScopes, eventsOfScopes } from '../catalogue.js';
import { phpTruthy, strval } from '../php.js';
import { requireOAuth, type CallContext, type MethodOutcome } from './context.js';

/** event.get: the calling app's handlers by ID; non-admins see only rows bound to themselves. */
export function eventGet(ctx: CallContext): MethodOutcome {
  const app = requireOAuth(ctx);
  const { user } = ctx.auth;
  const rows = ctx.portal.handlers.list((h) => h.APP_ID === app.id && (user.admin || h.USER_ID === user.id));
  const result = rows.map((h) =>
    h.EVENT_HANDLER === ''
      ? { event: h.EVENT_NAME, connector_id: h.CONNECTOR_ID, offline: 1 }
      : { event: h.EVENT_NAME, handler: h.EVENT_HANDLER, auth_type: String(h.USER_ID), offline: 0 },
  );
  return { result };
}

/**
 * events: `SCOPE=x` gives that scope only (granted or not, unknown = []), an empty SCOPE the global
 * events, FULL every scope, and by default the token's scopes plus the global events; always in
 * catalogue order, global events first (Event::eventsList walks the service description).
 */
export function eventsList(ctx: CallContext): MethodOutcome {
  requireOAuth(ctx);
  const { params } = ctx;
  let scopes: readonly string[];
  if (params.has('scope')) scopes = [strval(params.get('scope'))];
  else if (phpTruthy(params.get('full'))) scopes = ['', ...eventScopes()];
  else scopes = ['', ...ctx.auth.scopes];
  return { result: eventsOfScopes(scopes) };
}

/** event.test: fires ONAPPTEST at the caller's own handlers and answers 1. */
export function eventTest(ctx: CallContext): MethodOutcome {
  const app = requireOAuth(ctx);
  ctx.portal.fireTest(app, ctx.auth.user.id, ctx.params.withoutAuth());
  return { result: 1 };
}
