// Shared types and guards of the REST methods.
import type { AuthContext } from '../auth.js';
import type { App } from '../directory.js';
import { accessDenied, wrongAuthType } from '../errors.js';
import type { Params } from '../params.js';
import type { OperatingStatus } from '../operating.js';
import type { Portal } from '../portal.js';

/** A method's answer: `result`, plus the top-level `total`/`next` of list methods. */
export interface MethodOutcome {
  result: unknown;
  total?: number;
  next?: number;
  /** the method's operating budget after the call, for the reply's `time` (set by the router) */
  operating?: OperatingStatus;
}

/** Everything a method sees. `invoke` runs another method under the same credentials (for batch). */
export interface CallContext {
  portal: Portal;
  auth: AuthContext;
  params: Params;
  invoke(method: string, params: Params): Promise<MethodOutcome>;
}

/** A REST method; `scopes` lists the scopes of which the caller needs at least one. */
export interface MethodDef {
  scopes?: readonly string[];
  run(ctx: CallContext): MethodOutcome | Promise<MethodOutcome>;
}

/** Event methods run only in OAuth application context (§12.1); returns the calling app. */
export function requireOAuth(ctx: CallContext): App {
  if (ctx.auth.type !== 'oauth' || !ctx.auth.app) throw wrongAuthType();
  return ctx.auth.app;
}

/** The offline methods are admin-only with the bare "Access denied!" message (§12.2). */
export function requireAdmin(ctx: CallContext): void {
  if (!ctx.auth.user.admin) throw accessDenied();
}

/** The `auth_connector` of the call, '' when none was sent. */
export function connectorOf(ctx: CallContext): string {
  return ctx.auth.connector ?? '';
}
