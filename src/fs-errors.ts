import { CliError, ExitCode, UsageError } from './errors.js';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EEXIST: 'it already exists',
};

/**
 * A file the user named could not be read or written: a mistake to fix, said in one line with the
 * reason (`cannot write /no/such/dir/x.json: no such file or folder`), not an "unexpected error".
 * A full disk is not the user's input, so it stays a plain failure.
 */
export function fileError(error: unknown, action: 'read' | 'write', what: string, path: string, hint?: string): CliError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const reason = REASONS[code] ?? (error instanceof Error ? error.message : String(error));
  const message = `cannot ${action} ${what} ${path}: ${reason}`;
  const options = { cause: error, ...(hint ? { hint } : {}) };
  return code === 'ENOSPC' ? new CliError(message, ExitCode.failure, options) : new UsageError(message, options);
}
