import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Conf from 'conf';
import lockfile from 'proper-lockfile';
import { CliError, ExitCode } from '../errors.js';
import { configFileSchema, type ConfigFile, type Profile } from './schema.js';

const LOCK_OPTIONS = {
  stale: 30_000,
  realpath: false,
  retries: { retries: 120, factor: 1.3, minTimeout: 25, maxTimeout: 500 },
};

/**
 * The config file: profiles, the default profile, and env-mode token rotations. Every read goes to
 * disk (conf re-reads on access) so a process waiting on the lock sees what the other one wrote.
 */
export class ConfigStore {
  private readonly confOrError: Conf<Record<string, unknown>> | CliError;

  constructor(private readonly configDir: string | undefined) {
    // conf reads the file while constructing: a broken file or folder must surface as our error.
    try {
      this.confOrError = new Conf<Record<string, unknown>>({
        projectName: 'b24-events',
        projectSuffix: '',
        configFileMode: 0o600,
        accessPropertiesByDotNotation: false,
        ...(configDir ? { cwd: configDir } : {}),
      });
    } catch (error) {
      this.confOrError = this.failure(error);
    }
  }

  private get conf(): Conf<Record<string, unknown>> {
    if (this.confOrError instanceof CliError) throw this.confOrError;
    return this.confOrError;
  }

  get path(): string {
    // Also called while the constructor is still deciding what confOrError is.
    const conf = this.confOrError as Conf<Record<string, unknown>> | CliError | undefined;
    return conf && !(conf instanceof CliError) ? conf.path : join(this.configDir ?? '(config folder)', 'config.json');
  }

  read(): ConfigFile {
    let raw: unknown;
    try {
      raw = this.conf.store;
    } catch (error) {
      throw this.failure(error);
    }
    const parsed = configFileSchema.safeParse(raw);
    if (!parsed.success) throw this.invalid(parsed.error.issues[0]?.message ?? 'unexpected content');
    return parsed.data;
  }

  write(config: ConfigFile): void {
    try {
      this.ensureDirectory();
      this.conf.store = config;
      chmodSync(this.path, 0o600);
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** Read-modify-write under the file lock. */
  async update<T>(mutate: (config: ConfigFile) => T): Promise<T> {
    return this.withLock(() => {
      const config = this.read();
      const result = mutate(config);
      this.write(config);
      return result;
    });
  }

  getProfile(name: string): Profile | undefined {
    return this.read().profiles[name];
  }

  /**
   * Cross-process exclusive section. Refresh tokens are single-use, so spending one must never
   * happen in two processes at once: the loser waits here and then re-reads the file.
   */
  async withLock<T>(fn: () => T | Promise<T>): Promise<T> {
    try {
      this.ensureFile();
    } catch (error) {
      throw this.failure(error);
    }
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(this.path, LOCK_OPTIONS);
    } catch (error) {
      throw new CliError(`could not lock the config file ${this.path}`, ExitCode.failure, {
        hint: 'another b24-events process may be stuck; if none is running, remove the .lock folder next to the file',
        cause: error,
      });
    }
    try {
      return await fn();
    } finally {
      await release().catch(() => undefined);
    }
  }

  private ensureDirectory(): void {
    const dir = dirname(this.path);
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  private ensureFile(): void {
    this.ensureDirectory();
    if (existsSync(this.path)) return;
    try {
      writeFileSync(this.path, '{}\n', { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process created it first; that is fine.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }

  /** File-system and parse failures, named with the path and what to do. */
  private failure(error: unknown): CliError {
    if (error instanceof CliError) return error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code && ['ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC'].includes(code)) {
      return new CliError(`cannot use the config file ${this.path} (${code})`, ExitCode.failure, {
        hint: 'make the folder writable, or point --config-dir / B24_EVENTS_CONFIG_DIR at one that is',
        cause: error,
      });
    }
    return this.invalid(error instanceof Error ? error.message : String(error));
  }

  private invalid(reason: string): CliError {
    return new CliError(`config file ${this.path} is not valid: ${reason}`, ExitCode.failure, {
      hint: 'fix the file by hand, or move it away and add the profile again',
    });
  }
}
