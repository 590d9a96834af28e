import { mkdirSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { readRegularFile, removeQuietly } from './file-io.js';

/** Who holds a lock: recorded in `owner.json` inside the lock folder. */
export interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
  since: string;
}

export interface LockTimings {
  /** how long to wait for an owner that is still running (it may be stopped with Ctrl-Z) */
  liveOwnerWaitMs: number;
  /** an owner on another host counts as gone when its heartbeat is older than this */
  remoteStaleMs: number;
  heartbeatMs: number;
}

export const DEFAULT_LOCK_TIMINGS: LockTimings = { liveOwnerWaitMs: 90_000, remoteStaleMs: 30_000, heartbeatMs: 5_000 };

/** A lock folder whose creator died before writing its owner record counts as gone after this. */
const ORPHAN_MS = 5_000;

export interface HeldLock {
  /** the previous owner had died (or, on another host, stopped answering) and this process took over */
  readonly tookOver: LockOwner | 'unknown' | undefined;
  release(): void;
}

/** The owner is still running: the caller waited as long as it may. */
export class LockBusyError extends Error {
  constructor(readonly owner: LockOwner | undefined) {
    super('the lock is held by a running process');
    this.name = 'LockBusyError';
  }
}

/** Nonces of the locks this process holds, so a record with our own pid can be judged too. */
const heldHere = new Set<string>();
/** Callers in this process queue here instead of polling the folder. */
const queues = new Map<string, Promise<void>>();

/**
 * An exclusive lock across processes: a folder (mode 0700) created atomically, with the owner's
 * pid and host. An owner on this host is alive exactly as long as its pid is, so a killed owner is
 * replaced at once and a stopped one (Ctrl-Z) never; an owner on another host is judged by its
 * heartbeat. File-system errors (EROFS, ENOSPC, EACCES) are thrown as they are, at once.
 */
export async function acquireLock(dir: string, timings: LockTimings = DEFAULT_LOCK_TIMINGS): Promise<HeldLock> {
  const previous = queues.get(dir) ?? Promise.resolve();
  let done!: () => void;
  const turn = new Promise<void>((resolve) => (done = resolve));
  const chain = previous.then(() => turn);
  queues.set(dir, chain);
  const leave = () => {
    done();
    if (queues.get(dir) === chain) queues.delete(dir);
  };
  await previous;
  try {
    const lock = await takeFolder(dir, timings);
    return {
      ...lock,
      release() {
        lock.release();
        leave();
      },
    };
  } catch (error) {
    leave();
    throw error;
  }
}

async function takeFolder(dir: string, timings: LockTimings): Promise<HeldLock> {
  const deadline = Date.now() + timings.liveOwnerWaitMs;
  let tookOver: HeldLock['tookOver'];
  for (let attempt = 0; ; attempt += 1) {
    const owner = tryCreate(dir);
    if (owner) return held(dir, owner, tookOver, timings);
    const current = readOwner(dir);
    if (!isAlive(dir, current, timings) && takeOver(dir, current)) {
      tookOver = current ?? 'unknown';
      continue;
    }
    if (Date.now() > deadline) throw new LockBusyError(current);
    await sleep(Math.min(250, 10 * 2 ** Math.min(attempt, 5)));
  }
}

/** Creates the lock folder with our owner record; undefined when it already exists. */
function tryCreate(dir: string): LockOwner | undefined {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  const owner: LockOwner = { pid: process.pid, host: hostname(), nonce: randomBytes(8).toString('hex'), since: new Date().toISOString() };
  try {
    writeFileSync(join(dir, 'owner.json'), JSON.stringify(owner), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    removeQuietly(dir);
    throw error;
  }
  return owner;
}

function held(dir: string, owner: LockOwner, tookOver: HeldLock['tookOver'], timings: LockTimings): HeldLock {
  heldHere.add(owner.nonce);
  const ownerFile = join(dir, 'owner.json');
  const heartbeat = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(ownerFile, now, now);
    } catch {
      // taken over or unwritable: release() then leaves the folder to its new owner
    }
  }, timings.heartbeatMs);
  heartbeat.unref();
  const ours = () => readOwner(dir)?.nonce === owner.nonce;
  return {
    tookOver,
    release() {
      clearInterval(heartbeat);
      heldHere.delete(owner.nonce);
      if (ours()) removeFolder(dir, `released-${owner.nonce}`);
    },
  };
}

export function readOwner(dir: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readRegularFile(join(dir, 'owner.json')) ?? '') as Partial<LockOwner>;
    if (typeof owner.pid !== 'number' || typeof owner.host !== 'string' || typeof owner.nonce !== 'string') return undefined;
    return owner as LockOwner;
  } catch {
    return undefined;
  }
}

/** Whether the lock's owner may still be working. Errs towards alive: waiting is safe, stealing is not. */
function isAlive(dir: string, owner: LockOwner | undefined, timings: LockTimings): boolean {
  if (!owner) return ageMs(dir) < ORPHAN_MS; // just created, the record not written yet
  if (owner.host !== hostname()) return ageMs(join(dir, 'owner.json')) < timings.remoteStaleMs;
  if (owner.pid === process.pid) return heldHere.has(owner.nonce);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'; // EPERM: alive, another user's
  }
}

/**
 * Removes a dead owner's lock. Two waiters may judge the same owner dead: the `takeover` folder
 * lets only one of them act, and it checks again that the owner is the one judged dead.
 */
function takeOver(dir: string, judged: LockOwner | undefined): boolean {
  const claim = join(dir, 'takeover');
  try {
    mkdirSync(claim, { mode: 0o700 });
  } catch {
    // another waiter is taking over (or died doing it: its claim expires)
    if (ageMs(claim) > ORPHAN_MS) removeQuietly(claim);
    return false;
  }
  if (readOwner(dir)?.nonce !== judged?.nonce) {
    removeQuietly(claim);
    return false;
  }
  removeFolder(dir, `stale-${process.pid}`);
  return true;
}

/** Moves the folder aside first (atomic), so nobody ever sees a half-removed lock. */
function removeFolder(dir: string, tag: string): void {
  const aside = `${dir}.${tag}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(dir, aside);
  } catch {
    return;
  }
  removeQuietly(aside);
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Infinity;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
