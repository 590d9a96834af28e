import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock, LockBusyError, type HeldLock, type LockOwner } from './lock.js';
import { readRegularFile, removeQuietly, writeAtomically, WriteFailure } from './file-io.js';

/** What a worker's state file holds: the queue it drains and the process ids it answers for. */
interface WorkerRecord {
  queue: string;
  processIds: string[];
}

/** Another live drain holds the name (its lock's owner is running). */
export class WorkerBusyError extends Error {
  constructor(
    readonly worker: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(`worker ${worker} is running`);
    this.name = 'WorkerBusyError';
  }
}

/** The name's file records batches of another queue: taking the name would strand them. */
export class WorkerQueueError extends Error {
  constructor(
    readonly worker: string,
    readonly queue: string,
    readonly batches: number,
  ) {
    super(`worker ${worker} drains another queue`);
    this.name = 'WorkerQueueError';
  }
}

/** The lock is held while the drain runs: a live owner is never waited for, a dead one replaced at once. */
const NO_WAIT = { liveOwnerWaitMs: 0, remoteStaleMs: 30_000, heartbeatMs: 5_000 };

/**
 * The state of one named drain (`--worker NAME`) in the config folder: `workers/NAME.json` (0600,
 * folder 0700, replaced atomically) lists the process ids of the batches it reserved and has not
 * settled, so that the same worker, restarted after a kill, resumes its own batches first;
 * `workers/NAME.lock` (held while it runs, see lock.ts) keeps two live drains from sharing a name.
 */
export class WorkerState {
  private saved: string;

  private constructor(
    readonly name: string,
    private readonly file: string,
    private readonly queue: string,
    private readonly lock: HeldLock,
    /** the process ids the previous run of this worker left */
    readonly left: string[],
  ) {
    this.saved = left.join('\n');
  }

  /** Takes the name `name` for a drain of `queue` (portal, connector, selection). */
  static async claim(configDir: string, name: string, queue: string): Promise<WorkerState> {
    const dir = join(configDir, 'workers');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    let lock: HeldLock;
    try {
      lock = await acquireLock(join(dir, `${name}.lock`), NO_WAIT);
    } catch (error) {
      if (error instanceof LockBusyError) throw new WorkerBusyError(name, error.owner);
      throw error;
    }
    const file = join(dir, `${name}.json`);
    const record = readRecord(file);
    if (record && record.queue !== queue && record.processIds.length > 0) {
      lock.release();
      throw new WorkerQueueError(name, record.queue, record.processIds.length);
    }
    return new WorkerState(name, file, queue, lock, record?.queue === queue ? record.processIds : []);
  }

  /** The first free name of `base`, `base-2`, `base-3`…: the default, so that competing drains need no flag. */
  static async claimFree(configDir: string, base: string, queue: string): Promise<WorkerState> {
    for (let n = 1; ; n += 1) {
      try {
        return await WorkerState.claim(configDir, n === 1 ? base : `${base}-${n}`, queue);
      } catch (error) {
        if (!(error instanceof WorkerBusyError || error instanceof WorkerQueueError)) throw error;
      }
    }
  }

  /** Records the process ids the drain answers for now (written only when they changed). */
  save(processIds: string[]): void {
    const text = [...processIds].sort().join('\n');
    if (text === this.saved) return;
    const record: WorkerRecord = { queue: this.queue, processIds: [...processIds].sort() };
    try {
      writeAtomically(this.file, `${JSON.stringify(record, null, 2)}\n`);
    } catch (error) {
      if (error instanceof WriteFailure) removeQuietly(error.tempPath);
      throw error;
    }
    this.saved = text;
  }

  release(): void {
    this.lock.release();
  }
}

function readRecord(file: string): WorkerRecord | undefined {
  try {
    const record = JSON.parse(readRegularFile(file) ?? 'null') as Partial<WorkerRecord> | null;
    if (!record || typeof record.queue !== 'string' || !Array.isArray(record.processIds)) return undefined;
    return { queue: record.queue, processIds: record.processIds.filter((id): id is string => typeof id === 'string' && id.trim() !== '') };
  } catch {
    return undefined; // unreadable: nothing to resume (a --follow worker reclaims its batches in time)
  }
}
