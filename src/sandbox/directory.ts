// Users, applications and incoming webhooks of the portal: the identities every request resolves to.
import { localClientId, md5, randomAlnum } from './random.js';
import type { SandboxApp } from './types.js';

/** A portal user; `admin` stands for the `bitrix24_config` right. */
export interface User {
  id: number;
  admin: boolean;
  name: string;
  lastName: string;
}

/** A local application as stored by the portal; `id` is the internal APP_ID. */
export interface App extends SandboxApp {
  id: number;
}

/** The portal's identity registry. */
export class Directory {
  private readonly users = new Map<number, User>();
  private readonly apps = new Map<string, App>();
  private readonly webhooks = new Map<string, number>();
  private nextAppId = 1;

  constructor(private readonly memberId: string) {}

  /** Adds a user with the next free id; names are cosmetic (profile, user.current). */
  addUser(admin: boolean, name?: string): User {
    const id = this.users.size + 1;
    const user: User = { id, admin, name: name ?? (admin ? 'Admin' : `User ${id}`), lastName: 'Sandbox' };
    this.users.set(id, user);
    return user;
  }

  user(id: number): User | undefined {
    return this.users.get(id);
  }

  /**
   * Registers an API-only local app (installed at once). The application token is derived the way
   * the server does when none is stored, so it is stable per app and portal (reference §4.5).
   */
  createApp(opts: { scopes: string[]; clientId?: string; clientSecret?: string; redirectUri?: string }): App {
    const clientId = opts.clientId ?? localClientId();
    if (this.apps.has(clientId)) throw new Error(`app ${clientId} already exists`);
    const id = this.nextAppId++;
    const clientSecret = opts.clientSecret ?? randomAlnum(50);
    const app: App = {
      id,
      clientId,
      clientSecret,
      applicationToken: md5(`${this.memberId}|${id}|${clientSecret}|sandbox`),
      scopes: [...opts.scopes],
    };
    if (opts.redirectUri !== undefined) app.redirectUri = opts.redirectUri;
    this.apps.set(clientId, app);
    return app;
  }

  app(clientId: string): App | undefined {
    return this.apps.get(clientId);
  }

  appById(id: number): App | undefined {
    for (const app of this.apps.values()) if (app.id === id) return app;
    return undefined;
  }

  /** Creates an incoming webhook owned by `userId` and returns its secret code. */
  createWebhook(userId: number): string {
    if (!this.users.has(userId)) throw new Error(`unknown user ${userId}`);
    const code = randomAlnum(16);
    this.webhooks.set(`${userId}/${code}`, userId);
    return code;
  }

  /** The owner of a webhook path, or undefined when the pair is unknown. */
  webhookUser(userId: number, code: string): User | undefined {
    const owner = this.webhooks.get(`${userId}/${code}`);
    return owner === undefined ? undefined : this.users.get(owner);
  }
}
