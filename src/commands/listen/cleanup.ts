import type { B24Client, CallOptions } from '../../api/client.js';
import { getHandlers, unbindMany } from '../../api/events.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { count } from '../../output/plural.js';
import { describeListener, parseListener, PERSIST_NAME, persistedListener } from '../shared/listeners.js';
import { describeFound, leftovers, listenersOn, type FoundListener } from './subscription.js';

/** How long clean-up may take (it runs after Ctrl-C, when the command's own signal is spent). */
export const CLEANUP_MS = 20_000;

export interface Removed {
  connector: string;
  listener: string;
  events: string[];
  /** records left in its queue, deleted with it */
  discarded: number;
}

/**
 * Ends listeners: unbinds their offline bindings, then deletes what is left in their queues (records
 * nobody will read: the connector was theirs alone; batches a killed one left reserved included).
 */
export async function removeListeners(given: B24Client, found: FoundListener[], signal: AbortSignal): Promise<Removed[]> {
  if (found.length === 0) return [];
  const { purgeQueue } = await import('../../offline/purge.js');
  const client = withSignal(given, signal);
  const removed: Removed[] = [];
  for (const { listener, events } of found) {
    const outcomes = await unbindMany(
      client,
      events.map((event) => ({ event, offline: true, connector: listener.connector })),
    );
    const refused = outcomes.find((outcome) => !outcome.ok);
    if (refused && !refused.ok) throw refused.error;
    const discarded = await purgeQueue(client, listener.connector, signal);
    removed.push({ connector: listener.connector, listener: describeListener(listener), events, discarded });
  }
  return removed;
}

/**
 * The client with its calls carrying `signal` unless they name their own: clean-up runs after Ctrl-C,
 * whose signal is every call's default, and must still reach the portal (within its own time limit).
 */
export function withSignal(client: B24Client, signal: AbortSignal): B24Client {
  const give = (opts: CallOptions = {}): CallOptions => ({ signal, ...opts });
  return new Proxy(client, {
    get(target, property) {
      if (property === 'call') return (method: string, params?: Record<string, unknown>, opts?: CallOptions) => target.call(method, params, give(opts));
      if (property === 'result') return (method: string, params?: Record<string, unknown>, opts?: CallOptions) => target.result(method, params, give(opts));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** "removed the bindings of listener pid 4242 on dev (2 bindings: …); 3 queued events discarded". */
export function removedLine(entry: Removed): string {
  const discarded = entry.discarded > 0 ? `; ${count(entry.discarded, 'queued event')} discarded` : '';
  return `${entry.listener}: ${count(entry.events.length, 'binding')} removed (${entry.events.join(', ')})${discarded}`;
}

/**
 * `listen --cleanup [NAME]`: without NAME, the leftovers of listeners killed on this machine; with
 * NAME, the persisted listener NAME (or any listener, by the connector `handlers` shows).
 */
export async function runCleanup(ctx: Context, name: string | undefined): Promise<void> {
  const wanted = name === undefined ? undefined : (parseListener(name) ?? namedListener(name));
  const client = await ctx.client();
  const all = listenersOn(await getHandlers(client));
  const chosen = wanted ? all.filter((found) => found.listener.connector === wanted.connector) : leftovers(all);
  const removed = await removeListeners(client, chosen, AbortSignal.timeout(CLEANUP_MS));
  const others = wanted ? [] : all.filter((found) => !chosen.some((c) => c.listener.connector === found.listener.connector));
  if (ctx.globals.json) return ctx.printer.printJson({ removed, left: others.map((found) => ({ connector: found.listener.connector, events: found.events })) });
  if (removed.length === 0) ctx.printer.note(wanted ? `No ${describeListener(wanted)} is bound: nothing to remove` : 'No leftovers of stopped listeners');
  for (const entry of removed) ctx.printer.success(removedLine(entry));
  for (const found of others) ctx.printer.note(`Left alone: ${describeFound(found)}, ${stillThere(found)}`);
}

function namedListener(name: string) {
  if (!PERSIST_NAME.test(name))
    throw new UsageError(`"${name}" is not a listener name`, { hint: 'names are letters, digits, _ and - (as given to --persist NAME)' });
  return persistedListener(name);
}

function stillThere(found: FoundListener): string {
  if (found.listener.persist !== undefined) return `end it with \`b24-events listen --cleanup ${found.listener.persist}\``;
  return `running, or on another machine (\`b24-events listen --cleanup ${found.listener.connector}\` removes it)`;
}
