import type { OfflineEvent, Verdict } from '../types.js';

/**
 * A record as the sinks write it: its JSON text, or the failed verdict of a record that has none.
 * JSON.stringify recurses, so a record nested some thousands of levels deep (the portal parses and
 * stores it) overflows the stack: that one record fails with its reason instead of stopping the drain.
 */
export function recordJson(event: OfflineEvent): string | (Verdict & { handled: false }) {
  try {
    return JSON.stringify(event);
  } catch (error) {
    return unserialisable(error);
  }
}

export function unserialisable(error: unknown): Verdict & { handled: false } {
  const why = error instanceof RangeError ? 'nested too deeply' : error instanceof Error ? error.message : String(error);
  return { handled: false, reason: `the record cannot be written as JSON (${why})`, recordFault: true };
}
