import type { Writable } from 'node:stream';
import { writeFlushed } from './io.js';
import { jsonSafe } from './sanitize.js';

/**
 * One JSON array written as its items arrive (a listing that pages through the portal). It opens
 * with the first item, not before, so a command failing before any item leaves stdout empty; one
 * failing later leaves an unterminated array, which no JSON parser mistakes for the whole list.
 */
export class JsonArrayStream {
  private count = 0;

  constructor(
    private readonly stdout: Writable,
    private readonly select: (items: unknown[]) => unknown[],
  ) {}

  /** Appends items (flushed before it resolves). */
  async push(items: unknown[]): Promise<void> {
    if (items.length === 0) return;
    const text = this.select(items)
      .map((item) => `${this.count++ === 0 ? '[' : ','}\n${jsonSafe(JSON.stringify(item))}`)
      .join('');
    await writeFlushed(this.stdout, text);
  }

  /** Closes the array (`[]` when nothing came). */
  async end(): Promise<void> {
    await writeFlushed(this.stdout, this.count === 0 ? '[]\n' : '\n]\n');
  }
}
