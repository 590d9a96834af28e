import type { IO } from './output/io.js';
import { openSession } from './open-session.js';
import { colorLevels, createPalette } from './output/color.js';
import { localeIsUtf8 } from './output/glyphs.js';
import { Printer } from './output/printer.js';
import { Redactor } from './api/redact.js';
import type { ConfigStore } from './config/store.js';
import type { B24Client } from './api/client.js';
import type { Prompter } from './prompts/prompter.js';
import type { CredentialSource } from './config/credentials.js';

/** What a run is made of besides its arguments; the process shell passes the real ones, tests their own. */
export interface RunParts {
  io: IO;
  env: NodeJS.ProcessEnv;
  /** the clock (epoch milliseconds) */
  now?: () => number;
  /** a scripted prompter instead of inquirer */
  prompter?: Prompter;
  /** aborting it is a Ctrl-C */
  signal?: AbortSignal;
}

/** Options every command accepts (declared once on the root program). */
export interface GlobalOptions {
  json: boolean;
  debug: boolean;
  color: boolean;
  profile?: string | undefined;
  /** every --profile given, in order (commands that work on several portals) */
  profiles?: string[] | undefined;
  configDir?: string | undefined;
  timeout?: number | undefined;
  /** `--fields a,b`: keys kept in the JSON document (implies --json) */
  fields?: string[] | undefined;
}

/**
 * Everything a command needs, injected so tests need no module mocks. Heavy pieces (config file,
 * HTTP client, prompts) are created on first use only.
 */
export class Context {
  globals: GlobalOptions = { json: false, debug: false, color: true };
  readonly redactor = new Redactor();
  readonly abort = new AbortController();
  /** Runs another command line in this process with its own parts (set by `execute`; the demo uses it). */
  runLine: ((argv: string[], parts: RunParts) => Promise<number>) | undefined;
  private printerCache: Printer | undefined;
  private storeCache: ConfigStore | undefined;
  private sessionCache: Promise<{ client: B24Client; source: CredentialSource }> | undefined;
  private prompterCache: Prompter | undefined;
  private readonly closers: (() => Promise<void>)[] = [];
  private readonly hardStoppers = new Set<() => void>();
  private stdoutClosedHandlers = 0;
  private criticalDepth = 0;

  constructor(
    readonly io: IO,
    readonly env: NodeJS.ProcessEnv,
    readonly now: () => number = Date.now,
  ) {}

  get printer(): Printer {
    if (!this.printerCache) {
      const levels = colorLevels({
        env: this.env,
        colorFlag: this.globals.color && !this.globals.json,
        stdoutIsTTY: this.io.stdoutIsTTY,
        stderrIsTTY: this.io.stderrIsTTY,
      });
      this.printerCache = new Printer(this.io, createPalette(levels.stdout), createPalette(levels.stderr), {
        json: this.globals.json,
        fields: this.globals.fields,
        redact: (text) => this.redactor.text(text),
        debug: this.debugEnabled,
        now: () => this.now(),
        ascii: !localeIsUtf8(this.env),
      });
    }
    return this.printerCache;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Prompts are allowed only with terminals for input, output and stderr (where prompts are drawn), outside CI, and not opted out. */
  get canPrompt(): boolean {
    return this.noPromptReason === undefined;
  }

  /** Why prompting is off ("CI is set", "stdin is not a terminal", …), for messages; undefined when it is on. */
  get noPromptReason(): string | undefined {
    if (this.env.CI) return 'CI is set';
    if (this.env.B24_NO_PROMPT) return 'B24_NO_PROMPT is set';
    if (!this.io.stdinIsTTY) return 'stdin is not a terminal';
    if (!this.io.stdoutIsTTY) return 'stdout is not a terminal';
    if (!this.io.stderrIsTTY) return 'stderr is not a terminal';
    return undefined;
  }

  get debugEnabled(): boolean {
    return this.globals.debug || this.env.B24_DEBUG === '1' || this.env.B24_DEBUG === 'true';
  }

  /** A redacted trace line on stderr, only with --debug / B24_DEBUG=1. */
  debug(line: string): void {
    if (this.debugEnabled) this.io.stderr.write(`${this.printer.errPalette.muted(`[debug] ${this.redactor.text(line)}`)}\n`);
  }

  async store(): Promise<ConfigStore> {
    if (!this.storeCache) {
      const { ConfigStore } = await import('./config/store.js');
      this.storeCache = new ConfigStore(this.configDir);
    }
    return this.storeCache;
  }

  /** The config folder given (--config-dir, B24_EVENTS_CONFIG_DIR); undefined: conf's own choice. */
  get configDir(): string | undefined {
    return this.globals.configDir ?? (this.env.B24_EVENTS_CONFIG_DIR || undefined);
  }

  /** The authenticated REST client for the selected profile or environment credentials. */
  async client(): Promise<B24Client> {
    return (await this.session()).client;
  }

  /** A client for a named saved profile, for commands that work on several portals at once. */
  async clientFor(profile: string): Promise<{ client: B24Client; source: CredentialSource }> {
    const { createSession } = await import('./config/session-factory.js');
    return createSession(this, profile);
  }

  /** Where the credentials came from (for `status` and messages). */
  async credentialSource(): Promise<CredentialSource> {
    return (await this.session()).source;
  }

  async prompter(): Promise<Prompter> {
    if (!this.prompterCache) {
      const { inquirerPrompter } = await import('./prompts/inquirer-prompter.js');
      this.prompterCache = inquirerPrompter(this);
    }
    return this.prompterCache;
  }

  /** Test seam: replace the prompter with a scripted one. */
  setPrompter(prompter: Prompter): void {
    this.prompterCache = prompter;
  }

  /**
   * A command that streams to stdout and must tidy up when the reader goes away (a drain confirms
   * what was already written) claims EPIPE; otherwise the process exits at once. Returns the release.
   */
  claimClosedStdout(): () => void {
    this.stdoutClosedHandlers += 1;
    return () => {
      this.stdoutClosedHandlers -= 1;
    };
  }

  /** Whether a running command handles a closed stdout itself (see `claimClosedStdout`). */
  get handlesClosedStdout(): boolean {
    return this.stdoutClosedHandlers > 0;
  }

  /** Work an interrupt must not cut short (see `bin.ts`): a token refresh and its save. */
  async critical<T>(fn: () => Promise<T>): Promise<T> {
    this.criticalDepth += 1;
    try {
      return await fn();
    } finally {
      this.criticalDepth -= 1;
    }
  }

  get inCriticalSection(): boolean {
    return this.criticalDepth > 0;
  }

  /**
   * Says what a stop right now leaves behind (a drain: the records still reserved); `bin.ts` runs it on a
   * second Ctrl-C just before it exits. Returns the unregister.
   */
  onHardStop(report: () => void): () => void {
    this.hardStoppers.add(report);
    return () => this.hardStoppers.delete(report);
  }

  /** The process is about to exit at once: let running work say what it leaves (never throws). */
  hardStop(): void {
    for (const report of this.hardStoppers) {
      try {
        report();
      } catch {
        // the exit goes ahead whatever a report does
      }
    }
  }

  onClose(closer: () => Promise<void>): void {
    this.closers.push(closer);
  }

  /** Releases connections so the process can exit on its own. */
  async close(): Promise<void> {
    await Promise.allSettled(this.closers.map((close) => close()));
  }

  private session(): Promise<{ client: B24Client; source: CredentialSource }> {
    this.sessionCache ??= openSession(this);
    return this.sessionCache;
  }
}
