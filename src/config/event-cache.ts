import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The event names `events` last saw, per portal, next to the config file: shell completion offers
 * them without a request. Names are not secrets; the file is still 0600 like everything there.
 * Written only into a config folder that already exists (a listing creates no folders).
 */
export function eventCachePath(configFile: string): string {
  return join(dirname(configFile), 'events-cache.json');
}

export function saveEventNames(configFile: string, portal: string, names: string[]): void {
  const path = eventCachePath(configFile);
  if (!existsSync(dirname(path))) return;
  try {
    const cache = { ...readCache(path), [portal]: [...names].sort() };
    writeFileSync(path, `${JSON.stringify(cache)}\n`, { mode: 0o600 });
  } catch {
    // a cache that cannot be written only costs completion its event names
  }
}

/** Every cached name, of any portal. */
export function cachedEventNames(configFile: string): string[] {
  return [...new Set(Object.values(readCache(eventCachePath(configFile))).flat())].sort();
}

function readCache(path: string): Record<string, string[]> {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, string[]] => Array.isArray(entry[1]) && entry[1].every((n) => typeof n === 'string')),
    );
  } catch {
    return {};
  }
}
