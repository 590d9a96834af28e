import { normalizeEventName } from '../../bindings/validate.js';
import { UsageError } from '../../errors.js';
import { loadManifest } from '../../manifest/load.js';
import { closestEvent } from '../shared/event-hints.js';
import { targetUrl } from '../shared/target-url.js';

/** The one event that cannot be queued offline (the portal refuses it). */
const NOT_QUEUEABLE = 'ONOFFLINEEVENT';

/** What a listener subscribes to and where each event goes. */
export interface ListenTargets {
  events: string[];
  /** per event, the handler URLs it is POSTed to; undefined: no target (one JSON line per event on stdout) */
  routes?: ReadonlyMap<string, string[]> | undefined;
  /** manifest entries left out, for a note */
  skipped: string[];
}

/**
 * `--events` names and `*` patterns, checked against the events the application can bind (the
 * portal's `events`) before anything is bound: an unknown name or a pattern that matches nothing is
 * a usage error. Patterns never include ONOFFLINEEVENT, which cannot be queued.
 */
export function matchEvents(patterns: string[], available: string[]): string[] {
  const known = available.map((name) => name.toUpperCase()).filter((name) => name !== NOT_QUEUEABLE);
  const chosen = new Set<string>();
  for (const pattern of patterns) {
    if (!pattern.includes('*')) {
      const name = normalizeEventName(pattern);
      if (name === NOT_QUEUEABLE) throw new UsageError(`${name} cannot be listened to`, { hint: 'it is not queued offline; it only says that the queue grew' });
      if (!known.includes(name)) throw unknownEvent(name, known);
      chosen.add(name);
      continue;
    }
    if (!/^[A-Za-z0-9_*]+$/.test(pattern)) throw new UsageError(`"${pattern}" is not an event pattern`, { hint: 'letters, digits, _ and *, e.g. ONCRMDEAL*' });
    const regex = new RegExp(`^${pattern.toUpperCase().replace(/\*/g, '[A-Z0-9_]*')}$`);
    const matched = known.filter((name) => regex.test(name));
    if (matched.length === 0) throw new UsageError(`no event this application can bind matches ${pattern}`, { hint: 'list them with `b24-events events`' });
    for (const name of matched) chosen.add(name);
  }
  return [...chosen];
}

function unknownEvent(name: string, known: string[]): UsageError {
  const guess = closestEvent(name, known);
  return new UsageError(`${name} is not an event this application can bind`, {
    hint: guess
      ? `did you mean ${guess}? (\`b24-events events\` lists them)`
      : 'list them with `b24-events events` (events outside its scopes are not offered)',
  });
}

export interface Rewrite {
  from: string;
  to: string;
}

/** `--rewrite FROM=TO`: FROM a URL prefix of the manifest's handlers, TO the local base (no scheme = http://). */
export function parseRewrite(text: string): Rewrite {
  const at = text.indexOf('=');
  const from = at > 0 ? text.slice(0, at).trim() : '';
  const to = at > 0 ? text.slice(at + 1).trim() : '';
  if (!from || !to) throw new UsageError(`--rewrite takes FROM=TO, not "${text}"`, { hint: 'e.g. --rewrite https://hooks.example.com=http://localhost:3000' });
  return { from, to: targetUrl(to, '--rewrite').replace(/\/$/, to.endsWith('/') ? '/' : '') };
}

/**
 * The online bindings of a manifest, each event routed to its own handler path under the local base:
 * the longest matching FROM is replaced by its TO. A handler no --rewrite covers is an error (the
 * listener never POSTs to a production URL); offline entries and ONOFFLINEEVENT are left out.
 */
export async function manifestTargets(file: string, rewrites: Rewrite[], env: NodeJS.ProcessEnv): Promise<ListenTargets> {
  const manifest = await loadManifest(file, env);
  const routes = new Map<string, string[]>();
  const skipped: string[] = [];
  for (const binding of manifest.bindings) {
    const event = binding.event.toUpperCase();
    if (binding.offline || !binding.handler || event === NOT_QUEUEABLE) {
      skipped.push(binding.offline ? `${event} (offline)` : event);
      continue;
    }
    const rewrite = rewrites.filter((r) => binding.handler?.startsWith(r.from)).sort((a, b) => b.from.length - a.from.length)[0];
    if (!rewrite) {
      throw new UsageError(`${file}: ${event} → ${binding.handler} matches no --rewrite FROM`, {
        hint: `add --rewrite ${new URL(binding.handler).origin}=http://localhost:PORT (the listener never POSTs to the manifest's own URLs)`,
      });
    }
    const url = rewrite.to + binding.handler.slice(rewrite.from.length);
    routes.set(event, [...new Set([...(routes.get(event) ?? []), url])]);
  }
  if (routes.size === 0)
    throw new UsageError(`${file} has no online bindings to listen to`, { hint: 'listen delivers online bindings; name events with --events instead' });
  return { events: [...routes.keys()], routes, skipped };
}
