/**
 * The one exit-code table and error hierarchy. Everything below `bin.ts` throws; only `bin.ts`
 * turns an error into an exit code and a single stderr line (see `renderError`).
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  changesPending: 3,
  auth: 4,
  interrupted: 130,
} as const;

/** Documented in README and `--help`; keep the three in sync. */
export const exitCodeHelp = `Exit codes:
  0    success
  1    failure (API error, network, partial failure)
  2    usage error or invalid input
  3    plan --detailed-exitcode: changes pending
  4    authentication or authorization (no credentials, invalid_grant, WRONG_AUTH_TYPE,
       ACCESS_DENIED, insufficient_scope, WRONG_LICENSE)
  130  interrupted (Ctrl-C)`;

interface CliErrorOptions {
  hint?: string;
  code?: string;
  cause?: unknown;
}

/** An error the user can act on: a one-line message, an optional hint, and its exit code. */
export class CliError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;
  readonly code: string;

  constructor(message: string, exitCode: number = ExitCode.failure, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.code = options.code ?? 'ERROR';
  }
}

/** Bad flags, arguments or input files. Nothing was changed. */
export class UsageError extends CliError {
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, ExitCode.usage, { code: 'USAGE', ...options });
    this.name = 'UsageError';
  }
}

/** Missing, rejected or insufficient credentials. */
export class AuthError extends CliError {
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, ExitCode.auth, { code: 'AUTH', ...options });
    this.name = 'AuthError';
  }
}

/** Ctrl-C or a cancelled prompt. */
export class InterruptedError extends CliError {
  constructor(message = 'interrupted') {
    super(message, ExitCode.interrupted, { code: 'INTERRUPTED' });
    this.name = 'InterruptedError';
  }
}

/** The command already reported what went wrong; only the exit code remains to be set. */
export class SilentError extends CliError {
  constructor(exitCode: number = ExitCode.failure) {
    super('', exitCode, { code: 'SILENT' });
    this.name = 'SilentError';
  }
}
