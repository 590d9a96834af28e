import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError } from '../errors.js';
import { defaultConfigDir } from './config-dir.js';
import { readRegularFile, removeQuietly, reserveSpace, writeAtomically, WriteFailure, type Reservation } from './file-io.js';
import { acquireLock, DEFAULT_LOCK_TIMINGS, type HeldLock, type LockTimings } from './lock.js';
import { configFileSchema, type ConfigFile, type Profile } from './schema.js';
import { describeIssue, INVALID_CONFIG, invalidConfig, keptAside, unusable, unwritable } from './store-errors.js';

/** Room claimed before a locked write, beyond the file's current size (a new token pair is < 10 KiB). */
const RESERVE_HEADROOM = 64 * 1024;
/** How long a read waits out a file that is being rewritten in place (an editor saving). */
const SETTLE_MS = 2_000;

/** What a locked section learns about the lock it holds. */
export type LockInfo = Pick<HeldLock, 'tookOver'>;

/** What the store uses of conf: its file as one object, written atomically (write-file-atomic style). */
interface ConfWriter {
  store: Record<string, unknown>;
}

/**
 * The config file: profiles, the default profile, and env-mode token rotations. Every read goes to
 * disk, so a process waiting on the lock sees what the other one wrote. Reading creates nothing and
 * never blocks (a plain non-blocking read, no conf). Writing creates the folder (0700) and replaces
 * the file atomically (0600) through conf, loaded with the first lock; should that write fail (a
 * full disk), the text goes into the room reserved when the lock was taken, or is kept aside.
 */
export class ConfigStore {
  readonly path: string;
  private writer: ConfWriter | undefined;
  /** the reservation of the locked section this call runs in */
  private readonly section = new AsyncLocalStorage<{ reservation: Reservation | undefined }>();

  constructor(
    configDir?: string,
    private readonly lockTimings: LockTimings = DEFAULT_LOCK_TIMINGS,
  ) {
    this.path = join(configDir ?? defaultConfigDir(), 'config.json');
  }

  read(): ConfigFile {
    let text: string | undefined;
    try {
      text = readRegularFile(this.path);
    } catch (error) {
      throw unusable(this.path, error);
    }
    if (text === undefined) return configFileSchema.parse({});
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw invalidConfig(this.path, `not valid JSON (${(error as Error).message})`);
    }
    const parsed = configFileSchema.safeParse(raw);
    if (!parsed.success) throw invalidConfig(this.path, describeIssue(parsed.error.issues[0]));
    return parsed.data;
  }

  /** `read()` that waits out a file caught half-written by an editor saving it in place. */
  async readSettled(): Promise<ConfigFile> {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      try {
        return this.read();
      } catch (error) {
        if (!(error instanceof CliError && error.code === INVALID_CONFIG) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  /**
   * Replaces the file. Inside `withLock` the text goes into the room reserved when the lock was
   * taken, and if it still cannot be saved it is kept in another file, named in the error.
   */
  write(config: ConfigFile): void {
    const text = `${JSON.stringify(config, null, '\t')}\n`;
    const section = this.section.getStore();
    const reservation = section?.reservation;
    if (section) section.reservation = undefined;
    try {
      this.ensureDirectory();
      if (this.writeThroughConf(config)) {
        if (reservation) removeQuietly(reservation.path);
        return;
      }
      writeAtomically(this.path, text, reservation);
    } catch (error) {
      if (section) throw keptAside(this.path, error, text);
      if (error instanceof WriteFailure) removeQuietly(error.tempPath);
      throw unusable(this.path, error instanceof WriteFailure ? error.cause : error);
    }
  }

  /** conf's atomic write; false when it is not loaded or failed (then the reserved room takes the text). */
  private writeThroughConf(config: ConfigFile): boolean {
    if (!this.writer) return false;
    try {
      this.writer.store = config;
      return true;
    } catch {
      return false;
    }
  }

  /**
   * conf, made only once the folder exists with our mode (it would create it 0755) and the file is
   * known to be a regular one (its constructor reads it, and a FIFO would block that read forever).
   */
  private async loadWriter(): Promise<void> {
    if (this.writer) return;
    readRegularFile(this.path);
    const { default: Conf } = await import('conf');
    this.writer = new Conf<Record<string, unknown>>({
      cwd: dirname(this.path),
      configName: 'config',
      projectSuffix: '',
      configFileMode: 0o600,
      accessPropertiesByDotNotation: false,
      clearInvalidConfig: false,
    });
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
   * happen in two processes at once: the loser waits here and then re-reads the file. The room for
   * the section's write is reserved first, so a full disk fails here, before anything is spent.
   */
  async withLock<T>(fn: (lock: LockInfo) => T | Promise<T>): Promise<T> {
    let lock: HeldLock;
    try {
      this.ensureDirectory();
      lock = await acquireLock(`${this.path}.lock`, this.lockTimings);
    } catch (error) {
      throw unwritable(this.path, 'lock', error, this.lockTimings.liveOwnerWaitMs);
    }
    const section: { reservation: Reservation | undefined } = { reservation: undefined };
    try {
      section.reservation = this.reserve();
      await this.loadWriter().catch(() => undefined); // a file conf cannot read: the section's read names the problem
      return await this.section.run(section, () => fn(lock));
    } finally {
      if (section.reservation) removeQuietly(section.reservation.path);
      lock.release();
    }
  }

  private reserve(): Reservation {
    let size = 0;
    try {
      size = statSync(this.path).size;
    } catch {
      // no file yet
    }
    try {
      return reserveSpace(this.path, size + RESERVE_HEADROOM);
    } catch (error) {
      throw unwritable(this.path, 'save', error, this.lockTimings.liveOwnerWaitMs);
    }
  }

  private ensureDirectory(): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
  }
}
