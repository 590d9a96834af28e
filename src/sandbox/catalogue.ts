// The portal's event catalogue: which event codes exist and which scope grants each (reference §9,
// §12.15), read from the data in catalogue-data.ts. `events` and `event.bind` both use it, so scope
// gating stays consistent between them. The server lists events in the order of its service
// description with the global scope first (docs' `events` example), so every list here keeps the
// catalogue's order.
import { EVENT_CATALOGUE } from './catalogue-data.js';

const SCOPE_OF: ReadonlyMap<string, string> = new Map(EVENT_CATALOGUE.map(([name, scope]) => [name, scope]));

/** Events every app may bind regardless of scopes; docs label them scope `basic`. */
export const GLOBAL_EVENTS: readonly string[] = EVENT_CATALOGUE.filter(([, scope]) => scope === '').map(([name]) => name);

/** Events that refuse `event_type=offline` ("Offline event cannot be registered for this event."). */
export const OFFLINE_DISABLED: ReadonlySet<string> = new Set(['ONOFFLINEEVENT']);

/** Every scope that owns events, in the portal's order. */
export function eventScopes(): string[] {
  return [...new Set(EVENT_CATALOGUE.map(([, scope]) => scope).filter((scope) => scope !== ''))];
}

/**
 * Events of the given scopes ('' = the global ones) in catalogue order; an unknown scope adds
 * nothing and is no error, as on the server.
 */
export function eventsOfScopes(scopes: readonly string[]): string[] {
  return EVENT_CATALOGUE.filter(([, scope]) => scopes.includes(scope)).map(([name]) => name);
}

/** Whether an app holding `scopes` may bind `event` (its scopes plus the global ones). */
export function isBindable(event: string, scopes: readonly string[]): boolean {
  const scope = SCOPE_OF.get(event);
  return scope !== undefined && (scope === '' || scopes.includes(scope));
}
