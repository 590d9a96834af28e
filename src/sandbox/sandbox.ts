// The Sandbox implementation: a Portal behind a listening HTTP server, plus the in-process control
// surface that tests and the `sandbox` command use.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from './directory.js';
import { Portal, resolveOptions } from './portal.js';
import { createSandboxServer } from './server.js';
import { isoDate } from './time.js';
import type { SandboxTls } from './tls.js';
import type { Fault, RequestLogEntry, Sandbox, SandboxApp, SandboxOptions, TokenPair, TriggerItem, TriggerOptions, TriggerResult } from './types.js';

/** A running sandbox portal. */
export class SandboxPortal implements Sandbox {
  private readonly portal: Portal;
  private readonly server: Server;

  private constructor(
    options: SandboxOptions,
    private readonly tls: SandboxTls | undefined,
  ) {
    this.portal = new Portal(resolveOptions(options));
    this.server = createSandboxServer(this.portal, this, tls);
  }

  /** Starts listening and seeds user 1 (admin) and user 2 (non-admin); with `tls`, over HTTPS. */
  static async start(options: SandboxOptions = {}): Promise<SandboxPortal> {
    const resolved = resolveOptions(options);
    // node:crypto key generation and the DER builder load only when TLS is asked for.
    const tls = options.tls ? (await import('./tls.js')).generateSandboxTls(resolved.host) : undefined;
    const sandbox = new SandboxPortal(options, tls);
    const { host, port } = sandbox.portal.options;
    await new Promise<void>((resolve, reject) => {
      sandbox.server.once('error', reject);
      sandbox.server.listen(port, host, () => resolve());
    });
    const address = sandbox.server.address() as AddressInfo;
    const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    sandbox.portal.url = `${tls ? 'https' : 'http'}://${hostPart}:${address.port}`;
    sandbox.portal.directory.addUser(true, 'Admin');
    sandbox.portal.directory.addUser(false, 'Employee');
    return sandbox;
  }

  get url(): string {
    return this.portal.url;
  }

  get oauthUrl(): string {
    return this.portal.url;
  }

  get caCert(): string | undefined {
    return this.tls?.caCert;
  }

  get memberId(): string {
    return this.portal.memberId;
  }

  async close(): Promise<void> {
    await Promise.all([this.suspend(), this.portal.delivery.close()]);
  }

  async suspend(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  async resume(): Promise<void> {
    const port = Number(new URL(this.url).port);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.portal.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  addUser(opts: { admin: boolean; name?: string }): number {
    return this.portal.directory.addUser(opts.admin, opts.name).id;
  }

  createApp(opts: { scopes: string[]; clientId?: string; clientSecret?: string; redirectUri?: string }): SandboxApp {
    return publicApp(this.portal.directory.createApp(opts));
  }

  issueTokens(clientId: string, userId: number): TokenPair {
    const app = this.portal.directory.app(clientId);
    if (!app) throw new Error(`unknown app ${clientId}`);
    if (!this.portal.directory.user(userId)) throw new Error(`unknown user ${userId}`);
    return this.portal.tokens.issue(app, userId);
  }

  createWebhook(userId: number): string {
    return `${this.url}/rest/${userId}/${this.portal.directory.createWebhook(userId)}/`;
  }

  expireAccessTokens(): void {
    this.portal.tokens.expireAll();
  }

  trigger(event: string, data: unknown, opts?: TriggerOptions): TriggerResult {
    return this.portal.trigger([{ ...opts, event, data }]);
  }

  triggerMany(items: TriggerItem[]): TriggerResult {
    return this.portal.trigger(items);
  }

  injectFault(fault: Fault): void {
    this.portal.faults.arm(fault);
  }

  requestLog(): RequestLogEntry[] {
    return this.portal.log.map((entry) => ({ ...entry }));
  }

  handlers(clientId?: string): unknown[] {
    const appId = this.appIdFilter(clientId);
    if (appId === null) return [];
    return this.portal.handlers.list((h) => appId === undefined || h.APP_ID === appId).map((h) => structuredClone(h));
  }

  queue(clientId?: string): unknown[] {
    const appId = this.appIdFilter(clientId);
    if (appId === null) return [];
    return this.portal.queue.rows(appId).map(({ seq: _seq, ...row }) => ({
      ...structuredClone(row),
      TIMESTAMP_X: isoDate(row.TIMESTAMP_X),
    }));
  }

  // undefined = no filter; null = an unknown client, which matches nothing.
  private appIdFilter(clientId: string | undefined): number | undefined | null {
    if (clientId === undefined) return undefined;
    return this.portal.directory.app(clientId)?.id ?? null;
  }
}

function publicApp(app: App): SandboxApp {
  const { id: _id, ...rest } = app;
  return { ...rest, scopes: [...rest.scopes] };
}
