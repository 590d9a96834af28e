import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestPortal } from '../../helpers/portal.js';
import type { TokenPair } from '../../../src/sandbox/index.js';

/** Writes a manifest (an object as JSON, or text as is) into the portal's temp folder; returns its path. */
export function writeManifest(portal: TestPortal, name: string, content: unknown): string {
  const path = join(portal.configDir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

/** Calls the sandbox's REST API directly (fixture set-up), as the admin unless other tokens are given. */
export async function rest(portal: TestPortal, method: string, params: Record<string, unknown>, tokens: TokenPair = portal.tokens): Promise<unknown> {
  const response = await fetch(`${portal.sandbox.url}/rest/${method}.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...params, auth: tokens.access_token }),
  });
  const body = (await response.json()) as { result?: unknown; error?: string };
  if (body.error) throw new Error(`${method}: ${body.error}`);
  return body.result;
}

export interface StoredBinding {
  event: string;
  handler: string;
  user: number;
  connector: string;
  options: Record<string, unknown>;
}

/** The application's bindings as the portal stores them, sorted, for exact comparisons. */
export function storedBindings(portal: TestPortal): StoredBinding[] {
  const rows = portal.sandbox.handlers(portal.app.clientId) as {
    EVENT_NAME: string;
    EVENT_HANDLER: string;
    USER_ID: number;
    CONNECTOR_ID: string;
    OPTIONS: Record<string, unknown>;
  }[];
  return rows
    .map((h) => ({ event: h.EVENT_NAME, handler: h.EVENT_HANDLER, user: h.USER_ID, connector: h.CONNECTOR_ID, options: h.OPTIONS }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** REST methods the portal received since `from` (an index into its request log). */
export function methodsSince(portal: TestPortal, from = 0): string[] {
  return portal.sandbox
    .requestLog()
    .slice(from)
    .map((entry) => entry.method);
}

/** Saves, in `target`'s config file, a profile for `source`'s portal and app (multi-portal set-ups). */
export function addProfileFor(target: TestPortal, name: string, source: TestPortal): void {
  const file = join(target.configDir, 'config.json');
  const config = target.readConfig();
  config.profiles[name] = {
    portal: source.sandbox.url,
    oauthServer: source.sandbox.oauthUrl,
    clientId: source.app.clientId,
    clientSecret: source.app.clientSecret,
    accessToken: source.tokens.access_token,
    accessTokenExpires: source.tokens.expires,
    refreshToken: source.tokens.refresh_token,
  };
  mkdirSync(target.configDir, { recursive: true });
  writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
}

/** Reads a file the CLI wrote. */
export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
