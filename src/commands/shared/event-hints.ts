import type { B24Client } from '../../api/client.js';
import { ApiError } from '../../api/errors.js';
import { getHandlers, listEvents } from '../../api/events.js';
import { UsageError } from '../../errors.js';

/**
 * ERROR_EVENT_NOT_FOUND does not say whether the name is misspelt or outside the application's
 * scopes; one `events FULL` call tells the two apart and finds the likely intended name.
 */
export async function explainUnknownEvent(client: B24Client, error: unknown, event: string): Promise<unknown> {
  if (!(error instanceof ApiError) || error.code !== 'ERROR_EVENT_NOT_FOUND') return error;
  let known: string[];
  try {
    known = await listEvents(client, { full: true });
  } catch {
    return error;
  }
  if (known.includes(event)) {
    return new UsageError(`${event} exists on this portal but is outside the application's scopes (ERROR_EVENT_NOT_FOUND)`, {
      hint: "add the event's scope in the local application's settings and re-authorize (`b24-events login`); `b24-events status` lists the granted scopes",
      cause: error,
    });
  }
  const guess = closestEvent(event, known);
  return new UsageError(`there is no event ${event} on this portal (ERROR_EVENT_NOT_FOUND)`, {
    hint: guess ? `did you mean ${guess}?` : 'list the events with `b24-events events --all`',
    cause: error,
  });
}

/** After an unbind that matched nothing: a bound URL that differs only by a trailing slash or case. */
export async function nearlyBoundUrl(client: B24Client, event: string, url: string): Promise<string | undefined> {
  const normal = (u: string) => u.replace(/\/+$/, '').toLowerCase();
  const handlers = await getHandlers(client).catch(() => []);
  return handlers.find((h) => h.event === event && h.handler && h.handler !== url && normal(h.handler) === normal(url))?.handler;
}

/** The likely intended event name: the nearest by edit distance, if near enough. */
export function closestEvent(word: string, candidates: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(word, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(word.length / 6)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
