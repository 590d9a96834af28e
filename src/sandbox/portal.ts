// The portal's state and services in one object: identities, grants, handlers, queues, limiter,
// faults and delivery. The HTTP layer and the control surface both act through it.
import { Delivery, type DeliveryItem } from './delivery.js';
import { Directory, type App } from './directory.js';
import { FaultQueue } from './faults.js';
import { HandlerStore } from './handler-store.js';
import { LeakyBucket } from './limiter.js';
import { OfflineQueue } from './offline-queue.js';
import { OperatingBudget, type OperatingSettings } from './operating.js';
import { randomHex } from './random.js';
import { TokenStore } from './tokens.js';
import type { TriggerResult } from './types.js';
import type { RequestLogEntry, SandboxOptions, TriggerItem, TriggerOptions } from './types.js';

/** SandboxOptions with every default applied. */
export interface ResolvedOptions {
  host: string;
  port: number;
  accessTokenTtlSec: number;
  rateLimit: { drainPerSec: number; burst: number } | false;
  features: { rest_offline_extended: boolean; rest_auth_connector: boolean };
  codeTtlSec: number;
  operating: OperatingSettings;
}

/** Applies the documented defaults; refuses non-loopback hosts because the sandbox has no real auth. */
export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
  const host = options.host ?? '127.0.0.1';
  if (!/^127(\.\d{1,3}){3}$/.test(host) && host !== '::1') {
    throw new Error(`sandbox binds to loopback only, got host ${host}`);
  }
  return {
    host,
    port: options.port ?? 0,
    accessTokenTtlSec: options.accessTokenTtlSec ?? 3600,
    rateLimit: options.rateLimit === undefined ? { drainPerSec: 2, burst: 50 } : options.rateLimit,
    features: {
      rest_offline_extended: options.features?.rest_offline_extended ?? true,
      rest_auth_connector: options.features?.rest_auth_connector ?? true,
    },
    codeTtlSec: options.codeTtlSec ?? 30,
    operating: {
      limitSec: options.operating?.limitSec ?? 480,
      windowSec: options.operating?.windowSec ?? 600,
      chargeSec: options.operating?.chargeSec ?? 0,
    },
  };
}

/** Everything one sandbox portal knows. */
export class Portal {
  readonly memberId = randomHex(32);
  readonly directory = new Directory(this.memberId);
  readonly handlers = new HandlerStore();
  readonly queue = new OfflineQueue();
  readonly faults = new FaultQueue();
  readonly log: RequestLogEntry[] = [];
  readonly limiter: LeakyBucket | undefined;
  readonly operating: OperatingBudget;
  readonly tokens: TokenStore;
  readonly delivery: Delivery;
  /** Portal origin, set once the server listens. */
  url = '';

  constructor(readonly options: ResolvedOptions) {
    const limit = options.rateLimit;
    this.limiter = limit ? new LeakyBucket(limit.drainPerSec, limit.burst) : undefined;
    this.operating = new OperatingBudget(options.operating);
    this.tokens = new TokenStore(options.accessTokenTtlSec, options.codeTtlSec, () => ({
      clientEndpoint: `${this.url}/rest/`,
      serverEndpoint: `${this.url}/rest/`,
      oauthDomain: this.domain,
      memberId: this.memberId,
    }));
    this.delivery = new Delivery({
      appById: (id) => this.directory.appById(id),
      issueTokens: (app, userId, withRefresh) => this.tokens.issue(app, userId, withRefresh),
      identity: () => ({
        domain: this.domain,
        memberId: this.memberId,
        clientEndpoint: `${this.url}/rest/`,
        serverEndpoint: `${this.url}/rest/`,
      }),
    });
  }

  /** `host:port` of the portal, what Bitrix24 calls its domain. */
  get domain(): string {
    return this.url.replace(/^https?:\/\//, '');
  }

  /**
   * Events happened on the portal within one request: queue each for every offline subscription of
   * its event (skipping the initiating app's own queue with the same connector, §12.17), POST it to
   * online handlers, then notify ONOFFLINEEVENT handlers of the apps whose queues grew, once for the
   * whole request (EventOfflineTable::checkSendTime: minTimeout=0 is once per Bitrix24 call).
   */
  trigger(items: readonly TriggerItem[]): TriggerResult {
    const grown = new Set<number>();
    const deliveries: DeliveryItem[] = [];
    let queued = 0;
    for (const { event, data, ...opts } of items) {
      const name = event.toUpperCase();
      const userId = opts.userId ?? 0;
      queued += this.enqueue(name, data, userId, opts, grown);
      deliveries.push(...this.handlers.online(name).map((handler) => ({ handler, event: name, data, userId })));
    }
    const posted = this.delivery.send(deliveries);
    if (grown.size > 0) {
      const notices = this.handlers.online('ONOFFLINEEVENT').filter((h) => grown.has(h.APP_ID));
      this.delivery.notifyOffline(notices, items[0]?.userId ?? 0);
    }
    // What happened, so someone firing events by hand sees whether anything was listening.
    return { queued, posted };
  }

  // Writes the event into each subscribed queue, adding the apps written to (a coalesced write still
  // notifies, as the server's upsert does); returns the rows added (a coalesced repeat adds none).
  private enqueue(name: string, data: unknown, userId: number, opts: TriggerOptions, grown: Set<number>): number {
    const from = opts.fromClientId === undefined ? undefined : this.directory.app(opts.fromClientId);
    let writes = 0;
    for (const sub of this.handlers.offline(name)) {
      if (from && sub.APP_ID === from.id && sub.CONNECTOR_ID === (opts.connector ?? '')) continue;
      if (this.queue.write(sub.APP_ID, sub.CONNECTOR_ID, name, data, userId)) writes += 1;
      grown.add(sub.APP_ID);
    }
    return writes;
  }

  /** event.test: ONAPPTEST with the request's parameters, to the calling app's own handlers only. */
  fireTest(app: App, userId: number, query: Record<string, unknown>): void {
    const data = { QUERY: query, LANGUAGE_ID: 'en' };
    const items = this.handlers.online('ONAPPTEST', app.id).map((handler) => ({ handler, event: 'ONAPPTEST', data, userId }));
    this.delivery.send(items);
  }
}
