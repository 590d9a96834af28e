import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { isLoopbackUrl } from './hosts.js';
import { send, type Timeouts } from './http.js';

/** The control API of `b24-events sandbox` (src/sandbox/control.ts): loopback only, JSON in and out. */
export interface ControlTransport {
  dispatcher: Dispatcher;
  timeouts: Timeouts;
  userAgent: string;
  signal?: AbortSignal;
}

async function control(portal: string, action: string, body: unknown, transport: ControlTransport): Promise<{ status: number; body: unknown }> {
  const reply = await send(
    transport.dispatcher,
    {
      method: 'POST',
      url: new URL(`/_sandbox/${action}`, portal).toString(),
      body: JSON.stringify(body),
      signal: transport.signal,
      headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': transport.userAgent },
    },
    transport.timeouts,
    undefined,
    0,
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.text);
  } catch {
    parsed = undefined;
  }
  return { status: reply.status, body: parsed };
}

/** Whether the portal is a b24-events sandbox: only a loopback portal is asked, and any failure means no. */
export async function isSandboxPortal(portal: string, transport: ControlTransport): Promise<boolean> {
  return (await sandboxInfo(portal, transport)) !== undefined;
}

/**
 * What a b24-events sandbox says of itself (its `info` action: no credentials sent, nothing
 * changed), or undefined when the portal is no sandbox (only a loopback one is asked; any failure).
 */
export async function sandboxInfo(portal: string, transport: ControlTransport): Promise<{ memberId?: string } | undefined> {
  if (!isLoopbackUrl(portal)) return undefined;
  try {
    const reply = await control(portal, 'info', {}, transport);
    const body = reply.body as { sandbox?: unknown; memberId?: unknown } | undefined;
    if (reply.status !== 200 || body?.sandbox !== true) return undefined;
    return typeof body.memberId === 'string' ? { memberId: body.memberId } : {};
  } catch (error) {
    if (transport.signal?.aborted) throw error;
    return undefined;
  }
}

const createdAppSchema = z.object({ clientId: z.string(), clientSecret: z.string(), applicationToken: z.string(), redirectUri: z.string().optional() });
export type CreatedSandboxApp = z.infer<typeof createdAppSchema>;

/** Registers a local application on the sandbox (its `create-app` action), installed by its administrator. */
export async function createSandboxApp(
  portal: string,
  request: { scopes: string[]; redirectUri: string },
  transport: ControlTransport,
): Promise<CreatedSandboxApp> {
  const reply = await control(portal, 'create-app', request, transport);
  const app = createdAppSchema.safeParse(reply.body);
  if (reply.status !== 200 || !app.success) {
    const reason = (reply.body as { error?: unknown } | undefined)?.error;
    throw new Error(`the sandbox refused to create the application (HTTP ${reply.status}${typeof reason === 'string' ? `: ${reason}` : ''})`);
  }
  return app.data;
}

const triggeredSchema = z.object({ queued: z.number(), posted: z.number() });

/** Makes the sandbox raise an event as a portal would (its `trigger` action): queue records and online deliveries. */
export async function triggerSandboxEvent(
  portal: string,
  request: { event: string; data: unknown; userId: number },
  transport: ControlTransport,
): Promise<{ queued: number; posted: number }> {
  const reply = await control(portal, 'trigger', request, transport);
  const done = triggeredSchema.safeParse(reply.body);
  if (reply.status !== 200 || !done.success) {
    const reason = (reply.body as { error?: unknown } | undefined)?.error;
    throw new Error(`the sandbox refused to raise ${request.event} (HTTP ${reply.status}${typeof reason === 'string' ? `: ${reason}` : ''})`);
  }
  return done.data;
}
