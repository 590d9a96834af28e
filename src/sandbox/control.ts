// The HTTP control API, `POST /_sandbox/<action>` with a JSON body: the in-process control surface
// made reachable for subprocess tests and the `b24-events sandbox` command. Loopback callers only.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBody, sendJson } from './http-io.js';
import type { Sandbox } from './types.js';

const triggerSpec = z.object({
  event: z.string().min(1),
  data: z.unknown(),
  userId: z.number().int().optional(),
  fromClientId: z.string().optional(),
  connector: z.string().optional(),
});

const triggerList = z.object({ items: z.array(triggerSpec) });

const common = { method: z.string().optional(), times: z.number().int().positive().optional() };
const faultSchema = z.discriminatedUnion('kind', [
  z.object({ ...common, kind: z.literal('error'), status: z.number().int(), error: z.string(), description: z.string().optional() }),
  z.object({ ...common, kind: z.literal('html'), status: z.number().int() }),
  z.object({ ...common, kind: z.literal('reset') }),
  z.object({ ...common, kind: z.literal('delay'), ms: z.number().nonnegative() }),
]);

const byClient = z.object({ clientId: z.string().optional() });

// Each action validates its body and calls the matching Sandbox method.
const ACTIONS: Record<string, (sandbox: Sandbox, body: unknown) => unknown> = {
  info: (s) => ({ sandbox: true, url: s.url, memberId: s.memberId }),
  'add-user': (s, body) => ({ id: s.addUser(z.object({ admin: z.boolean(), name: z.string().optional() }).parse(body)) }),
  'create-app': (s, body) =>
    s.createApp(
      z
        .object({
          scopes: z.array(z.string()),
          clientId: z.string().optional(),
          clientSecret: z.string().optional(),
          redirectUri: z.string().optional(),
        })
        .parse(body),
    ),
  'issue-tokens': (s, body) => {
    const { clientId, userId } = z.object({ clientId: z.string(), userId: z.number().int() }).parse(body);
    return s.issueTokens(clientId, userId);
  },
  'create-webhook': (s, body) => ({ url: s.createWebhook(z.object({ userId: z.number().int() }).parse(body).userId) }),
  'expire-access-tokens': (s) => (s.expireAccessTokens(), { ok: true }),
  trigger: (s, body) => {
    // The body's shape picks the schema (not a z.union), so a bad field is named, not "Invalid input".
    const items = isObject(body) && 'items' in body ? triggerList.parse(body).items : [triggerSpec.parse(body)];
    // One control request is one portal request: its events share one ONOFFLINEEVENT notice.
    return { ok: true, ...s.triggerMany(items) };
  },
  'inject-fault': (s, body) => (s.injectFault(faultSchema.parse(body)), { ok: true }),
  'request-log': (s) => s.requestLog(),
  handlers: (s, body) => s.handlers(byClient.parse(body).clientId),
  queue: (s, body) => s.queue(byClient.parse(body).clientId),
};

/** Answers `POST /_sandbox/<action>`; errors come back as `{error}` with 400/403/404/405. */
export async function handleControl(sandbox: Sandbox, req: IncomingMessage, res: ServerResponse, action: string): Promise<void> {
  if (!isLoopback(req.socket.remoteAddress)) return sendJson(res, 403, { error: 'control API is loopback-only' });
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
  const run = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (!run) return sendJson(res, 404, { error: `unknown action: ${action}` });
  try {
    const text = await readBody(req);
    const body: unknown = text.trim() === '' ? {} : JSON.parse(text);
    sendJson(res, 200, run(sandbox, body) ?? null);
  } catch (error) {
    sendJson(res, 400, { error: describe(error) });
  }
}

function describe(error: unknown): string {
  if (error instanceof z.ZodError) return error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  return error instanceof Error ? error.message : String(error);
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (/^(::ffff:)?127\./.test(address) || address === '::1');
}
