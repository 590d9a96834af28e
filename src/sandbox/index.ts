// Public entry of the sandbox portal: a local, faithful HTTP imitation of a Bitrix24 portal and its
// OAuth server for the event methods, used by the project's tests and by `b24-events sandbox`.
import { SandboxPortal } from './sandbox.js';
import type { Sandbox, SandboxApp, SandboxOptions, TokenPair } from './types.js';

export type { Fault, RequestLogEntry, Sandbox, SandboxApp, SandboxOptions, TokenPair, TriggerItem, TriggerOptions, TriggerResult } from './types.js';

/** Starts a sandbox on loopback (ephemeral port by default) with user 1 = admin and user 2 = non-admin. */
export async function startSandbox(options?: SandboxOptions): Promise<Sandbox> {
  return SandboxPortal.start(options);
}

/**
 * Registers a demo app (scopes crm, task, user, calendar) installed by admin user 1 and returns its
 * credentials and first token pair — what `b24-events sandbox` prints for a user to paste into setup.
 */
export function seedDemo(sandbox: Sandbox): { app: SandboxApp; tokens: TokenPair } {
  const app = sandbox.createApp({ scopes: ['crm', 'task', 'user', 'calendar'] });
  return { app, tokens: sandbox.issueTokens(app.clientId, 1) };
}
