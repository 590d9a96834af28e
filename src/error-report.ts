import { ApiError, MissingTokenError, TransportError } from './api/errors.js';
import { isLoopbackUrl } from './api/hosts.js';
import { errorCode, TLS_CODES } from './api/net-codes.js';
import { AuthError, CliError, ExitCode, InterruptedError, UsageError } from './errors.js';

/** What to do about each portal error code, in the CLI's own terms. */
const HINTS: Record<string, string> = {
  WRONG_AUTH_TYPE:
    "event methods need an application OAuth token: add a profile with a local application's client id/secret (`b24-events profile add --help`), not an incoming webhook",
  ACCESS_DENIED:
    'offline-queue methods, offline binds and binding for other users need a portal administrator: authorize the application as an admin (`b24-events login`)',
  WRONG_LICENSE:
    "the portal's plan lacks a feature this call needs (rest_offline_extended or rest_auth_connector); `b24-events status` shows what is available",
  NO_AUTH_FOUND: 're-authorize with `b24-events login` (in environment-only mode: set new B24_* tokens)',
  invalid_token: 're-authorize with `b24-events login` (in environment-only mode: set new B24_* tokens)',
  expired_token: 're-authorize with `b24-events login` (in environment-only mode: set new B24_* tokens)',
  insufficient_scope: "add the needed scope in the local application's settings, then re-authorize with `b24-events login`",
  invalid_grant: 're-authorize with `b24-events login` (in environment-only mode: set a new B24_REFRESH_TOKEN)',
  invalid_client: "check the local application's client id and secret (Developer resources → Integrations) and that it is installed",
  PAYMENT_REQUIRED: "the application's trial or paid period is over; renew it in the portal",
  ERROR_EVENT_NOT_FOUND:
    "check the name with `b24-events events --all`; if it is listed there but not in `b24-events events`, grant the application that event's scope",
  ERROR_WRONG_HANDLER_URL: 'use a public http(s) URL whose host is a domain name, e.g. https://hooks.example.com/b24',
  ERROR_UNSUPPORTED_PROTOCOL: 'use an http:// or https:// handler URL',
  QUERY_LIMIT_EXCEEDED: 'the portal kept refusing requests; wait a minute and retry, and avoid running several heavy jobs at once',
  OPERATION_TIME_LIMIT: 'this method is blocked for this application until its 10-minute time window resets; retry later',
  ERROR_METHOD_NOT_FOUND: 'check that the portal URL points at a Bitrix24 portal',
  ERROR_CORE: 'a portal-side failure; retry later',
  INTERNAL_SERVER_ERROR: 'a portal-side failure; retry later',
  OVERLOAD_LIMIT: 'contact Bitrix24 support: the portal blocked REST calls',
  PORTAL_DELETED: 'the portal no longer exists; remove this profile',
};

/** Turns anything thrown below `bin.ts` into a CliError with a one-line message and a hint. */
export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof ApiError) return fromApiError(error);
  if (error instanceof TransportError) return fromTransportError(error);
  if (error instanceof MissingTokenError) {
    return new AuthError(`cannot authorize: ${error.message}`, {
      hint: 're-authorize with `b24-events login`, or add --refresh-token to the profile',
      cause: error,
    });
  }
  if (isAbort(error)) return new InterruptedError();
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(`unexpected error: ${message}`, ExitCode.failure, {
    hint: 'run again with --debug for details, and report it if it persists',
    cause: error,
  });
}

function fromApiError(error: ApiError): CliError {
  const what = error.meaning ?? 'the portal refused the call';
  const detail = [error.code, error.description, error.argument ? `argument ${error.argument}` : ''].filter(Boolean).join(': ');
  const message = `${error.method}: ${what} (${detail})`;
  const options = { hint: HINTS[error.code], code: error.code, cause: error };
  if (error.category === 'auth') return new AuthError(message, options);
  if (error.category === 'input') return new UsageError(message, options);
  return new CliError(message, ExitCode.failure, options);
}

function fromTransportError(error: TransportError): CliError {
  const local = isLoopbackUrl(error.url);
  const hints: Record<TransportError['kind'], string> = {
    network: local
      ? 'is the local portal running (`b24-events sandbox`)? `b24-events profile show` shows the address in use'
      : 'check the address (`b24-events profile show` shows the portal and OAuth server in use) and your network connection',
    timeout: 'retry, or allow more time with --timeout SECONDS',
    'non-json': 'a proxy or the portal returned an error page; check the portal URL and retry later',
    redirect: 'check the address with `b24-events profile show`; if the portal really moved, update it with `b24-events login --portal NEW-URL`',
    oversized: 'no real reply is that large: check the address with `b24-events profile show` (a proxy in the way?) and retry later',
  };
  const hint = error.mayHaveRun ? lostReplyHint(error) : (tlsHint(error, local) ?? hints[error.kind]);
  return new CliError(error.message, ExitCode.failure, { hint, code: `TRANSPORT_${error.kind.toUpperCase()}`, cause: error });
}

/** An untrusted certificate: the sandbox's (--tls) is trusted through NODE_EXTRA_CA_CERTS. */
function tlsHint(error: TransportError, local: boolean): string | undefined {
  if (!TLS_CODES.has(errorCode(error.cause) ?? '')) return undefined;
  return local
    ? 'a `b24-events sandbox --tls` certificate is trusted with NODE_EXTRA_CA_CERTS=<the CA file it printed>, set before b24-events starts'
    : "the portal's certificate is not trusted here: check the address; a private CA is trusted with NODE_EXTRA_CA_CERTS=<its file>";
}

/** The request was sent and its reply lost: what to check before anything is repeated. */
function lostReplyHint(error: TransportError): string {
  if (error.url.includes('/oauth/token')) {
    return 'run the command again; if it then fails with invalid_grant, the token chain is broken (single-use tokens): re-authorize with `b24-events login`';
  }
  const check = 'check with `b24-events handlers` (or `offline list`) before repeating it';
  return error.kind === 'timeout' ? `${check}, or allow more time with --timeout SECONDS` : check;
}

function isAbort(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'AbortError' || name === 'InterruptedError';
}
