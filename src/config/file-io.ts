import { closeSync, constants, fstatSync, ftruncateSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';

/** A path that exists but is not a regular file (a FIFO would block a read forever). */
export class NotAFileError extends Error {
  constructor(readonly kind: string) {
    super(`it is ${kind}, not a regular file`);
    this.name = 'NotAFileError';
  }
}

/**
 * The file's text, or undefined when it does not exist. Opened without blocking and checked on the
 * open descriptor, so a FIFO or a device at the path is refused instead of hanging the process.
 */
export function readRegularFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new NotAFileError(kindOf(stats));
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** A temporary file next to the target with `size` bytes already allocated. */
export interface Reservation {
  readonly path: string;
  readonly size: number;
}

/** Where a failed atomic write stopped: the complete new text is still in `tempPath` after a failed rename. */
export class WriteFailure extends Error {
  readonly code: string | undefined;

  constructor(
    readonly stage: 'write' | 'rename',
    readonly tempPath: string,
    error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error), { cause: error });
    this.name = 'WriteFailure';
    this.code = (error as NodeJS.ErrnoException).code;
  }
}

export function tempPathFor(target: string): string {
  return `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
}

/**
 * Claims the disk space a later write needs (zeros, really written, so the blocks are allocated):
 * done before anything irreversible, e.g. spending a refresh token whose successor must be saved.
 */
export function reserveSpace(target: string, size: number): Reservation {
  const path = tempPathFor(target);
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeFully(fd, Buffer.alloc(size));
  } catch (error) {
    closeSync(fd);
    removeQuietly(path);
    throw error;
  }
  closeSync(fd);
  return { path, size };
}

/**
 * Replaces `target` with `text` atomically (temp file, fsync, rename), mode 0600. With a
 * reservation the text goes into the space claimed earlier, so a disk that filled up since cannot
 * stop it. Failures are a WriteFailure that says whether the complete text survived in the temp file.
 */
export function writeAtomically(target: string, text: string, reservation?: Reservation): void {
  const temp = reservation?.path ?? tempPathFor(target);
  const data = Buffer.from(text, 'utf8');
  try {
    const fd = openSync(temp, reservation ? 'r+' : 'wx', 0o600);
    try {
      writeFully(fd, data);
      ftruncateSync(fd, data.length);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new WriteFailure('write', temp, error);
  }
  try {
    renameSync(temp, target);
  } catch (error) {
    throw new WriteFailure('rename', temp, error);
  }
}

/** Cleanup that must not hide the error being reported (the folder may have turned read-only). */
export function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // left behind: a stray temp file or a lock nobody owns, never the config file
  }
}

function writeFully(fd: number, data: Buffer): void {
  for (let offset = 0; offset < data.length;) offset += writeSync(fd, data, offset, data.length - offset, offset);
}
