// Helpers for the sandbox tests: every call goes over real HTTP, the way a client would talk to it.
import { startSandbox, type Sandbox, type SandboxApp, type SandboxOptions, type TokenPair } from '../../src/sandbox/index.js';

// Response bodies are arbitrary JSON; tests assert on concrete values, so a loose type is enough here.
export type Json = any;

export interface Reply {
  status: number;
  body: Json;
  headers: Headers;
}

/** POSTs `params` as JSON to `${base}${method}` (base ends with `/rest/` or a webhook URL). */
export async function call(base: string, method: string, params: Record<string, unknown> = {}): Promise<Reply> {
  const response = await fetch(`${base}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** POSTs a pre-encoded form body (PHP bracket keys) to `${base}${method}`. */
export async function callForm(base: string, method: string, form: string): Promise<Reply> {
  const response = await fetch(`${base}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** A REST caller bound to one access token. */
export function client(sandbox: Sandbox, tokens: TokenPair): (method: string, params?: Record<string, unknown>) => Promise<Reply> {
  return (method, params = {}) => call(`${sandbox.url}/rest/`, method, { auth: tokens.access_token, ...params });
}

/** A sandbox without rate limiting plus one app (scopes crm, task, user) with tokens for users 1 and 2. */
export async function setup(options: SandboxOptions = {}): Promise<{
  sandbox: Sandbox;
  app: SandboxApp;
  admin: (method: string, params?: Record<string, unknown>) => Promise<Reply>;
  user: (method: string, params?: Record<string, unknown>) => Promise<Reply>;
}> {
  const sandbox = await startSandbox({ rateLimit: false, ...options });
  const app = sandbox.createApp({ scopes: ['crm', 'task', 'user'] });
  return {
    sandbox,
    app,
    admin: client(sandbox, sandbox.issueTokens(app.clientId, 1)),
    user: client(sandbox, sandbox.issueTokens(app.clientId, 2)),
  };
}

/** The `{error, error_description}` pair of a reply, for compact assertions. */
export function errorOf(reply: Reply): [number, string, string] {
  return [reply.status, reply.body.error, reply.body.error_description];
}
