import { writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { CliError, ExitCode } from '../errors.js';
import { NotAFileError, removeQuietly, WriteFailure } from './file-io.js';
import { LockBusyError } from './lock.js';

/** The code of a config file that does not parse (an editor may be half-way through saving it). */
export const INVALID_CONFIG = 'CONFIG_INVALID';

export function invalidConfig(path: string, reason: string): CliError {
  return new CliError(`config file ${path} is not valid: ${reason}`, ExitCode.failure, {
    hint: 'fix the file by hand, or move it away and add the profile again',
    code: INVALID_CONFIG,
  });
}

/** The first schema problem, with the key it is about: `profiles.prod.clientId: expected string …`. */
export function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'unexpected content';
  const key = issue.path.map(String).join('.');
  return key ? `${key}: ${issue.message}` : issue.message;
}

/** The file cannot be read: not a regular file, a path through a file, no permission. */
export function unusable(path: string, error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof NotAFileError) {
    return new CliError(`cannot use the config file ${path}: ${error.message}`, ExitCode.failure, {
      hint: 'move it away (b24-events keeps its profiles in a regular file), or point --config-dir / B24_EVENTS_CONFIG_DIR elsewhere',
      code: 'CONFIG_UNUSABLE',
    });
  }
  const code = errorCode(error);
  return new CliError(`cannot use the config file ${path} (${describeCode(code)})`, ExitCode.failure, {
    hint:
      code === 'ENOTDIR' || code === 'EISDIR'
        ? 'point --config-dir / B24_EVENTS_CONFIG_DIR at a folder'
        : 'make the folder readable and writable, or point --config-dir / B24_EVENTS_CONFIG_DIR at one that is',
    code: 'CONFIG_UNUSABLE',
    cause: error,
  });
}

/** Taking the lock or reserving room failed: at once, named, before anything was spent. */
export function unwritable(path: string, step: 'lock' | 'save', error: unknown, liveOwnerWaitMs: number): CliError {
  if (error instanceof LockBusyError) return lockBusy(path, error, liveOwnerWaitMs);
  const code = errorCode(error);
  return new CliError(`cannot ${step} the config file ${path}: ${describeCode(code)}; nothing was changed and no token was spent`, ExitCode.failure, {
    hint:
      code === 'ENOSPC' || code === 'EDQUOT'
        ? 'free some space on that disk and retry'
        : 'make the folder writable, or point --config-dir / B24_EVENTS_CONFIG_DIR at one that is',
    code: 'CONFIG_UNWRITABLE',
    cause: error,
  });
}

function lockBusy(path: string, error: LockBusyError, waitedMs: number): CliError {
  const pid = error.owner?.pid;
  const who = error.owner ? `b24-events process ${pid} on ${error.owner.host}` : 'another b24-events process';
  return new CliError(`the config file ${path} is locked by ${who}, still running after ${waitedMs / 1000}s`, ExitCode.failure, {
    hint: pid
      ? `if it is stopped (Ctrl-Z), resume it (fg, or kill -CONT ${pid}); if it hangs, end it (kill ${pid}): the lock of a process that is gone is taken over at once`
      : `if no b24-events process is running, remove ${path}.lock`,
    code: 'CONFIG_LOCKED',
  });
}

/**
 * A locked write failed after all (the room reserved for it notwithstanding): the new text may hold
 * a spent token's successor, so it is kept — in the temp file if it is complete there, else in a
 * 0600 file elsewhere — and the error says how to put it in place.
 */
export function keptAside(path: string, error: unknown, text: string): CliError {
  const failure = error instanceof WriteFailure ? error : undefined;
  let kept = failure?.stage === 'rename' ? failure.tempPath : undefined;
  if (!kept) {
    if (failure) removeQuietly(failure.tempPath);
    kept = rescue(text);
  }
  const what = `could not save the config file ${path} (${describeCode(errorCode(failure?.cause ?? error))})`;
  if (!kept) {
    return new CliError(`${what}, and no copy of its new content could be kept anywhere`, ExitCode.failure, {
      hint: 'a token refreshed in this run may be lost: if the next command fails with invalid_grant, re-authorize with `b24-events login`',
      cause: error,
    });
  }
  return new CliError(`${what}; its new content, with any new tokens, is kept in ${kept}`, ExitCode.failure, {
    hint: `once the disk is fixed, put it in place with: mv '${kept}' '${path}' (before any other b24-events command on this profile)`,
    code: 'CONFIG_KEPT_ASIDE',
    cause: error,
  });
}

function rescue(text: string): string | undefined {
  for (const dir of [tmpdir(), homedir()]) {
    const path = join(dir, `b24-events-config-${process.pid}-${Date.now()}.json`);
    try {
      writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
      return path;
    } catch {
      // try the next place
    }
  }
  return undefined;
}

const CODE_TEXT: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EIO: 'input/output error',
};

function describeCode(code: string | undefined): string {
  if (!code) return 'unexpected error';
  return CODE_TEXT[code] ? `${code}: ${CODE_TEXT[code]}` : code;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
