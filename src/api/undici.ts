import { createRequire } from 'node:module';
import type { Agent as UndiciAgent, Dispatcher } from 'undici';

// undici's index also builds fetch, WebSocket, EventSource, the caches and more, about 9 MiB of
// memory no command uses: load just the connection pool and the request call. Both paths are
// undici 7's own files (its package.json has no "exports" map, and package.json pins ^7);
// test/unit/undici-parts.test.ts checks they still are what is expected.
const require = createRequire(import.meta.url);

/** undici's keep-alive connection pool per origin. */
export const Agent = require('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;
export type Agent = UndiciAgent;

type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Dispatcher };
const requestOn = require('undici/lib/api/api-request.js') as (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

/** undici's `request(url, options)` on the given dispatcher (never the global one). */
export function request(url: string, options: RequestOptions): Promise<Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = options;
  const target = new URL(url);
  return requestOn.call(dispatcher, { ...rest, origin: target.origin, path: `${target.pathname}${target.search}` });
}
