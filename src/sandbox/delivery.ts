// Online delivery of events to bound handler URLs (reference §8, §12.26–27): one form-encoded POST
// per handler, encoded by PHP's rules with a real delivery's key order (src/wire), sent after the
// triggering request, never retried. Only loopback hosts are contacted, so a sandbox can never be
// turned into a request cannon against the network.
import { deliveryBody, TOKENLESS_EVENTS, type DeliveryTokens } from '../wire/delivery.js';
import type { App } from './directory.js';
import type { HandlerRecord } from './handler-store.js';
import { epochSeconds } from './time.js';
import type { TokenPair } from './types.js';

const REFRESH_EVENTS: ReadonlySet<string> = new Set(['ONAPPINSTALL', 'ONOFFLINEEVENT']);
const SEND_TIMEOUT_MS = 10_000;

/** One event for one handler; `userId` is the acting user (0 = none). */
export interface DeliveryItem {
  handler: HandlerRecord;
  event: string;
  data?: unknown;
  userId: number;
}

/** What delivery needs from the portal. */
export interface DeliveryPort {
  appById(id: number): App | undefined;
  issueTokens(app: App, userId: number, withRefresh: boolean): TokenPair;
  identity(): { domain: string; memberId: string; clientEndpoint: string; serverEndpoint: string };
}

/** Sends event POSTs in the background and throttles ONOFFLINEEVENT notices. */
export class Delivery {
  private readonly controller = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly lastNotice = new Map<number, number>();

  constructor(private readonly port: DeliveryPort) {}

  /** Queues the POSTs of one triggering request; identical items are sent once. Returns the POSTs queued. */
  send(items: DeliveryItem[]): number {
    const seen = new Set<string>();
    let posts = 0;
    for (const item of items) {
      const key = JSON.stringify([item.handler.ID, item.event, item.data, item.userId]);
      if (seen.has(key) || !isLoopbackUrl(item.handler.EVENT_HANDLER)) continue;
      seen.add(key);
      const body = this.body(item);
      if (body === undefined) continue;
      this.post(item.handler.EVENT_HANDLER, body);
      posts += 1;
    }
    return posts;
  }

  /**
   * ONOFFLINEEVENT to the online handlers of apps whose queue just grew, at most once per handler per
   * `minTimeout` seconds (default 1; 0 = every triggering request). Triggers inside the window are dropped.
   */
  notifyOffline(handlers: HandlerRecord[], userId: number): void {
    const now = Date.now();
    const due = handlers.filter((handler) => {
      const minTimeout = typeof handler.OPTIONS.minTimeout === 'number' ? handler.OPTIONS.minTimeout : 1;
      const last = this.lastNotice.get(handler.ID);
      if (minTimeout > 0 && last !== undefined && now - last < minTimeout * 1000) return false;
      this.lastNotice.set(handler.ID, now);
      return true;
    });
    this.send(due.map((handler) => ({ handler, event: 'ONOFFLINEEVENT', userId })));
  }

  /** Aborts pending POSTs and waits for them to settle. */
  async close(): Promise<void> {
    this.controller.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private body(item: DeliveryItem): string | undefined {
    const app = this.port.appById(item.handler.APP_ID);
    if (!app) return undefined;
    const id = this.port.identity();
    const tokens = this.tokens(app, item);
    return deliveryBody({
      event: item.event,
      eventHandlerId: item.handler.ID,
      data: item.data,
      // The token is minted as the event is sent: expires = ts + expires_in, as in the captured delivery.
      ts: tokens?.expires !== undefined ? tokens.expires - (tokens.expiresIn ?? 0) : epochSeconds(),
      identity: { ...id, applicationToken: app.applicationToken },
      tokens,
    });
  }

  // Tokens belong to the bound user, else the acting one; none for automation and tokenless events.
  private tokens(app: App, item: DeliveryItem): DeliveryTokens | undefined {
    const userId = item.handler.USER_ID || item.userId;
    if (userId <= 0 || TOKENLESS_EVENTS.has(item.event)) return undefined;
    const withRefresh = REFRESH_EVENTS.has(item.event);
    const pair = this.port.issueTokens(app, userId, withRefresh);
    return {
      accessToken: pair.access_token,
      expires: pair.expires,
      expiresIn: pair.expires_in,
      scope: pair.scope,
      status: pair.status,
      userId: pair.user_id,
      refreshToken: withRefresh ? pair.refresh_token : undefined,
    };
  }

  private post(url: string, body: string): void {
    const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(SEND_TIMEOUT_MS)]);
    const task = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => fetch(url, { method: 'POST', body, signal, headers: FORM_HEADERS }))
      .then((response) => response.body?.cancel())
      .catch(() => undefined) // no retries and no error reporting: the cloud drops failed deliveries too
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }
}

const FORM_HEADERS = {
  'content-type': 'application/x-www-form-urlencoded',
  'user-agent': 'Bitrix24 Webhook Engine (b24-events sandbox)',
};

/** Whether a handler URL points at this machine (127.0.0.0/8 or ::1). */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]' || host === 'localhost';
  } catch {
    return false;
  }
}
