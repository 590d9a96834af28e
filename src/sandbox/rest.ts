// The /rest/ endpoint: logging, faults, the leaky bucket, method lookup (before auth), authentication,
// dispatch and the success/error envelopes (reference §1.1–1.4, §12.30–31).
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { authenticate, type AuthContext, type WebhookPath } from './auth.js';
import { insufficientScope, methodNotFound, operationTimeLimit, queryLimitExceeded, RestError } from './errors.js';
import { normaliseMethod } from './faults.js';
import { readParams, sendHtml, sendJson } from './http-io.js';
import type { CallContext, MethodOutcome } from './methods/context.js';
import { findMethod } from './methods/registry.js';
import { Params } from './params.js';
import { operatingKey } from './operating.js';
import type { Portal } from './portal.js';
import { timeBlock } from './time.js';
import type { Fault } from './types.js';

/** A parsed /rest/ path. */
interface RestRoute {
  method: string;
  webhook?: WebhookPath;
}

/** Answers one /rest/ request. */
export async function handleRest(portal: Portal, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const route = parseRestPath(url.pathname);
  portal.log.push({ method: route.method, at: Date.now() });
  const started = Date.now();
  try {
    const params = new Params(await readParams(req, url.search));
    const fault = portal.faults.take(route.method);
    if (fault && (await applyFault(fault, req, res))) return;
    if (portal.limiter && !portal.limiter.take()) throw queryLimitExceeded();
    if (!findMethod(route.method)) throw methodNotFound();
    const auth = authenticate(portal, route.webhook, params, req.headers);
    const outcome = await invoke(portal, auth, route.method, params);
    sendJson(res, 200, envelope(outcome, started));
  } catch (error) {
    const failure = error instanceof RestError ? error : new RestError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    sendJson(res, failure.status, failure.toBody());
  }
}

/**
 * Runs a method under `auth`; batch sub-calls come back through here with the same credentials.
 * Each method but the outer batch spends the caller's operating budget and is refused once the
 * budget is used up; the outcome carries the budget for the reply's `time`.
 */
async function invoke(portal: Portal, auth: AuthContext, method: string, params: Params): Promise<MethodOutcome> {
  const def = findMethod(method);
  if (!def) throw methodNotFound();
  if (def.scopes && !def.scopes.some((scope) => auth.scopes.includes(scope))) {
    throw insufficientScope(auth.type === 'webhook');
  }
  const ctx: CallContext = {
    portal,
    auth,
    params,
    invoke: (name, subParams) => invoke(portal, auth, name, subParams),
  };
  const key = operatingKey(auth.type, auth.entity, method);
  const counted = method !== 'batch';
  if (counted && portal.operating.blocked(key)) throw operationTimeLimit();
  const started = Date.now();
  const outcome = await def.run(ctx);
  if (counted) portal.operating.record(key, method, started, Date.now() - started);
  return { ...outcome, operating: portal.operating.status(key, started) };
}

/**
 * `/rest/{method}[.json]` or `/rest/{userId}/{code}/{method}[.json]`. Runs of slashes count as one,
 * as on the real front end: the official JS SDK joins the documented `client_endpoint` (ending in
 * `/rest/`) and `/method`, so every one of its calls goes to `/rest//method`.
 */
function parseRestPath(pathname: string): RestRoute {
  const tail = safeDecode(pathname.replace(/\/{2,}/g, '/').replace(/^\/rest\/?/, '')).replace(/\/+$/, '');
  const webhook = /^(\d+)\/([^/]+)\/([^/]*)$/.exec(tail);
  if (webhook) {
    return { method: normaliseMethod(webhook[3] ?? ''), webhook: { userId: Number(webhook[1]), code: webhook[2] ?? '' } };
  }
  return { method: normaliseMethod(tail) };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function envelope(outcome: MethodOutcome, started: number): Record<string, unknown> {
  const body: Record<string, unknown> = { result: outcome.result };
  if (outcome.next !== undefined) body.next = outcome.next;
  if (outcome.total !== undefined) body.total = outcome.total;
  body.time = timeBlock(started, Date.now(), outcome.operating);
  return body;
}

// Returns true when the fault produced the whole reply; a delay only postpones normal processing.
async function applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  switch (fault.kind) {
    case 'reset':
      req.socket.destroy();
      return true;
    case 'html': {
      const title = `${fault.status} ${STATUS_CODES[fault.status] ?? 'Error'}`;
      sendHtml(res, fault.status, `<html><head><title>${title}</title></head><body><h1>${title}</h1><hr><center>nginx</center></body></html>`);
      return true;
    }
    case 'error':
      sendJson(res, fault.status, { error: fault.error, error_description: fault.description ?? '' });
      return true;
    case 'delay':
      await sleep(fault.ms, undefined, { ref: false });
      return false;
  }
}
