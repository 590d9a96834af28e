// Case-insensitive access to request parameters. The server upper- or lower-cases the top-level keys
// of event method calls (array_change_key_case), so `EVENT`, `event` and `Event` all mean the same;
// when a request carries two spellings the later one wins, as it does in PHP.

/** Request parameters with case-insensitive top-level keys. */
export class Params {
  private readonly byLowerKey = new Map<string, unknown>();

  constructor(readonly raw: Record<string, unknown>) {
    for (const [key, value] of Object.entries(raw)) this.byLowerKey.set(key.toLowerCase(), value);
  }

  /** The value under `name` in any letter case, or undefined. */
  get(name: string): unknown {
    return this.byLowerKey.get(name.toLowerCase());
  }

  /** isset(): the key is present with a non-null value. */
  has(name: string): boolean {
    const value = this.get(name);
    return value !== undefined && value !== null;
  }

  /** The parameters without credentials, e.g. for ONAPPTEST's `data[QUERY]`. */
  withoutAuth(): Record<string, unknown> {
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.raw)) {
      if (!['auth', 'access_token'].includes(key.toLowerCase())) copy[key] = value;
    }
    return copy;
  }
}
