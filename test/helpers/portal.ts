import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox, type Sandbox, type SandboxApp, type SandboxOptions, type TokenPair } from '../../src/sandbox/index.js';
import { runCli, tempConfigDir, type CliResult, type RunOptions } from './cli.js';

export interface TestPortal {
  sandbox: Sandbox;
  app: SandboxApp;
  /** tokens of the admin (user 1) installation */
  tokens: TokenPair;
  configDir: string;
  /** Runs the CLI with this portal's config folder (in-process; `spawn: true` for the built binary). */
  cli(args: string[], options?: Omit<RunOptions, 'configDir'>): Promise<CliResult>;
  /**
   * Writes a saved profile straight into the config file (fixture; `profile add` has its own tests),
   * with a freshly issued token pair of the admin unless `fields` says otherwise: refresh tokens are
   * single-use, so reusing an earlier pair would be a dead chain.
   */
  writeProfile(name: string, fields?: Partial<ProfileFixture>, makeDefault?: boolean): void;
  /** Every token pair handed out by this fixture (for secret assertions). */
  issued: TokenPair[];
  /** The config file as JSON. */
  readConfig(): ConfigFixture;
  /** Environment for env-only mode with this portal's credentials. */
  envCredentials(tokens?: TokenPair): Record<string, string>;
  close(): Promise<void>;
}

export interface ProfileFixture {
  portal: string;
  oauthServer: string;
  clientId: string;
  clientSecret: string;
  accessToken?: string;
  accessTokenExpires?: number;
  refreshToken?: string;
  applicationToken?: string;
  memberId?: string;
}

export interface ConfigFixture {
  defaultProfile?: string;
  profiles: Record<string, ProfileFixture>;
  envSessions?: Record<string, unknown>;
}

/**
 * A sandbox portal with one application (default scopes crm, task, user) installed by the admin,
 * plus a temp config folder. The limiter is off unless asked for: tests about pacing opt in.
 */
export async function setupPortal(options: SandboxOptions & { scopes?: string[]; userId?: number } = {}): Promise<TestPortal> {
  const { scopes = ['crm', 'task', 'user'], userId = 1, ...sandboxOptions } = options;
  const sandbox = await startSandbox({ rateLimit: false, ...sandboxOptions });
  const app = sandbox.createApp({ scopes });
  const tokens = sandbox.issueTokens(app.clientId, userId);
  const { dir, cleanup } = tempConfigDir();
  const issued: TokenPair[] = [tokens];
  const configFile = join(dir, 'config.json');
  const readConfig = (): ConfigFixture => {
    try {
      return JSON.parse(readFileSync(configFile, 'utf8')) as ConfigFixture;
    } catch {
      return { profiles: {} };
    }
  };
  return {
    sandbox,
    app,
    tokens,
    configDir: dir,
    cli: (args, opts = {}) => runCli(args, { configDir: dir, ...opts }),
    writeProfile(name, fields = {}, makeDefault = true) {
      const config = readConfig();
      const pair = sandbox.issueTokens(app.clientId, userId);
      issued.push(pair);
      config.profiles[name] = {
        portal: sandbox.url,
        oauthServer: sandbox.oauthUrl,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        accessToken: pair.access_token,
        accessTokenExpires: pair.expires,
        refreshToken: pair.refresh_token,
        applicationToken: app.applicationToken,
        memberId: pair.member_id,
        ...fields,
      };
      if (makeDefault) config.defaultProfile = name;
      mkdirSync(dir, { recursive: true });
      writeFileSync(configFile, JSON.stringify(config, null, 2), { mode: 0o600 });
    },
    readConfig,
    issued,
    envCredentials: (pair = tokens) => ({
      B24_PORTAL: sandbox.url,
      B24_OAUTH_SERVER: sandbox.oauthUrl,
      B24_CLIENT_ID: app.clientId,
      B24_CLIENT_SECRET: app.clientSecret,
      B24_REFRESH_TOKEN: pair.refresh_token,
      B24_ACCESS_TOKEN: pair.access_token,
    }),
    async close() {
      await sandbox.close();
      cleanup();
    },
  };
}

/** Every secret of the portal fixture, to assert none of them is ever printed. */
export function secretsOf(portal: TestPortal): string[] {
  const saved = Object.values(portal.readConfig().profiles).flatMap((p) => [p.accessToken, p.refreshToken, p.clientSecret]);
  const issued = portal.issued.flatMap((pair) => [pair.access_token, pair.refresh_token]);
  return [portal.app.clientSecret, portal.app.applicationToken, ...issued, ...saved].filter((s): s is string => Boolean(s && s.length >= 8));
}

/** Fails when any secret appears in the captured output. */
export function assertNoSecrets(result: CliResult, secrets: string[]): void {
  for (const secret of secrets) {
    if (result.stdout.includes(secret) || result.stderr.includes(secret)) {
      throw new Error(`a secret (…${secret.slice(-4)}) was printed:\n${result.stdout}\n${result.stderr}`);
    }
  }
}
