import type { B24Client } from '../../api/client.js';
import { bindMany, unbindMany, type ChangeOutcome, type HandlerRecord } from '../../api/events.js';
import type { PortalStatus } from '../../api/portal.js';
import { AuthError } from '../../errors.js';
import { count } from '../../output/plural.js';
import { describeListener, listenerGone, parseListener, type Listener } from '../shared/listeners.js';

/** What a listener holds on the portal: its offline bindings, under its own connector or the default queue's. */
export interface Subscription {
  /** undefined: the default queue (--shared-queue) */
  listener: Listener | undefined;
  /** the events this run listens to */
  events: string[];
  /** the bindings this listener owns (to unbind when it stops); on the shared queue only those it created */
  owned: string[];
}

/** Checks the plan and the caller's rights before anything is bound. */
export function checkPortal(status: PortalStatus, sharedQueue: boolean): void {
  if (status.user.admin === false) {
    throw new AuthError('listen needs a portal administrator: offline bindings and the offline queue are for administrators only', {
      hint: 'use a profile authorized by an administrator (`b24-events login`); `b24-events status` shows who the profile is',
    });
  }
  if (status.features.rest_offline_extended === false) {
    throw new AuthError("the portal's plan lacks rest_offline_extended: queued events cannot be read without deleting them, so listen cannot work", {
      hint: 'listen needs a plan with extended offline events (`b24-events status` lists the plan features)',
    });
  }
  if (!sharedQueue && status.features.rest_auth_connector === false) {
    throw new AuthError("the portal's plan lacks rest_auth_connector, so a listener cannot have an offline queue of its own", {
      hint: 'pass --shared-queue to listen on the default offline queue instead: it competes with every other consumer of that queue (what the listener takes, a production worker never sees)',
    });
  }
}

/** The offline bindings of a connector ('' = the default queue), from `event.get` rows. */
export function boundUnder(handlers: HandlerRecord[], connector: string): string[] {
  return handlers.filter((h) => Number(h.offline) === 1 && (h.connector_id ?? '') === connector).map((h) => h.event.toUpperCase());
}

/**
 * Binds the events offline under the listener's connector. A persisted listener's earlier bindings
 * are kept where still wanted and removed where not; on the shared queue a binding that already exists
 * belongs to someone else and is left alone when the listener stops.
 */
export async function subscribe(client: B24Client, listener: Listener | undefined, events: string[], handlers: HandlerRecord[]): Promise<Subscription> {
  const connector = listener?.connector ?? '';
  const existing = boundUnder(handlers, connector);
  const missing = events.filter((event) => !existing.includes(event));
  const extra = listener ? existing.filter((event) => !events.includes(event)) : [];
  const outcomes = await bindMany(
    client,
    missing.map((event) => ({ event, offline: true, connector: listener?.connector })),
  );
  const bound = missing.filter((_, i) => outcomes[i]?.ok);
  const refusal = firstRefusal(outcomes);
  if (refusal) {
    await unbindMany(
      client,
      bound.map((event) => ({ event, offline: true, connector: listener?.connector })),
    ).catch(() => undefined);
    throw refusal;
  }
  if (extra.length > 0)
    await unbindMany(
      client,
      extra.map((event) => ({ event, offline: true, connector })),
    );
  const owned = listener ? events : bound;
  return { listener, events, owned };
}

/** Removes the listener's bindings; returns how many the portal removed. */
export async function unsubscribe(client: B24Client, subscription: Subscription): Promise<number> {
  const connector = subscription.listener?.connector;
  const outcomes = await unbindMany(
    client,
    subscription.owned.map((event) => ({ event, offline: true, connector })),
  );
  const refusal = firstRefusal(outcomes);
  if (refusal) throw refusal;
  return outcomes.reduce((sum, outcome) => sum + (outcome.ok && outcome.status === 'unbound' ? outcome.removed : 0), 0);
}

/** A listener found on the portal, with the events bound under its connector. */
export interface FoundListener {
  listener: Listener;
  events: string[];
}

/** Every listener with bindings on the portal (by connector). */
export function listenersOn(handlers: HandlerRecord[]): FoundListener[] {
  const found = new Map<string, FoundListener>();
  for (const row of handlers) {
    const listener = Number(row.offline) === 1 ? parseListener(row.connector_id) : undefined;
    if (!listener) continue;
    const entry = found.get(listener.connector) ?? { listener, events: [] };
    entry.events.push(row.event.toUpperCase());
    found.set(listener.connector, entry);
  }
  return [...found.values()];
}

/** The leftovers of listeners that were killed on this machine (their process is gone). */
export function leftovers(found: FoundListener[]): FoundListener[] {
  return found.filter((entry) => listenerGone(entry.listener));
}

/** "listener pid 4242 on dev (2 bindings)". */
export function describeFound(found: FoundListener): string {
  return `${describeListener(found.listener)} (${count(found.events.length, 'binding')}: ${found.events.join(', ')})`;
}

function firstRefusal(outcomes: ChangeOutcome[]): Error | undefined {
  const failed = outcomes.find((outcome): outcome is Extract<ChangeOutcome, { ok: false }> => !outcome.ok);
  return failed?.error;
}
