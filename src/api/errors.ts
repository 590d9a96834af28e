/**
 * Typed errors of the REST client. They carry the portal's own `error` code; callers branch on
 * `code`, never on the HTTP status (docs and server disagree on several statuses).
 */
export type ErrorCategory = 'auth' | 'input' | 'rate' | 'transient' | 'failure';

interface CodeInfo {
  category: ErrorCategory;
  meaning: string;
}

/** Every code the reference documents for the event methods, with what it means to a user. */
export const knownCodes: Record<string, CodeInfo> = {
  WRONG_AUTH_TYPE: { category: 'auth', meaning: 'this method works only with an application OAuth token, not an incoming webhook' },
  ACCESS_DENIED: { category: 'auth', meaning: 'access denied: the authorized user lacks the rights for this call' },
  WRONG_LICENSE: { category: 'auth', meaning: "the portal's plan does not include this feature" },
  NO_AUTH_FOUND: { category: 'auth', meaning: 'the portal did not accept the authorization data' },
  invalid_token: { category: 'auth', meaning: 'the access token is invalid' },
  expired_token: { category: 'auth', meaning: 'the access token has expired' },
  insufficient_scope: { category: 'auth', meaning: "the application's scopes do not allow this call" },
  invalid_grant: { category: 'auth', meaning: 'the refresh token or authorization code was rejected (spent, expired or revoked)' },
  invalid_client: { category: 'auth', meaning: 'the client id or client secret was rejected, or the application is not installed' },
  invalid_scope: { category: 'auth', meaning: 'the requested scope was rejected' },
  invalid_request: { category: 'input', meaning: 'the OAuth server rejected the request' },
  PAYMENT_REQUIRED: { category: 'auth', meaning: "the application's trial or paid period is over" },
  user_access_error: { category: 'auth', meaning: 'an administrator restricted this application to other users' },
  INVALID_CREDENTIALS: { category: 'auth', meaning: "the token's user lacks permission" },
  APPLICATION_NOT_FOUND: { category: 'auth', meaning: 'the application is inactive or not installed on this portal' },
  authorization_error: { category: 'auth', meaning: 'the user could not be authorized' },
  PORTAL_DELETED: { category: 'failure', meaning: 'the portal was deleted' },
  ERROR_EVENT_NOT_FOUND: { category: 'input', meaning: "unknown event, or an event outside the application's scopes" },
  ERROR_ARGUMENT: { category: 'input', meaning: 'the portal rejected an argument' },
  ERROR_WRONG_HANDLER_URL: { category: 'input', meaning: 'the handler URL has no host, or its host has no dot' },
  ERROR_UNSUPPORTED_PROTOCOL: { category: 'input', meaning: 'the handler URL must use http or https' },
  ERROR_CORE: { category: 'failure', meaning: 'the portal failed to carry out the call' },
  ERROR_METHOD_NOT_FOUND: { category: 'failure', meaning: 'the portal does not know this method' },
  INVALID_REQUEST: { category: 'input', meaning: 'the portal requires HTTPS' },
  QUERY_LIMIT_EXCEEDED: { category: 'rate', meaning: 'too many requests: the portal rate limit was hit' },
  OPERATION_TIME_LIMIT: { category: 'rate', meaning: 'the method is blocked for a while: its operation time limit was used up' },
  OVERLOAD_LIMIT: { category: 'failure', meaning: 'REST API is blocked due to overload (a manual block by Bitrix24 support)' },
  INTERNAL_SERVER_ERROR: { category: 'transient', meaning: 'the portal had an internal error' },
  ERROR_UNEXPECTED_ANSWER: { category: 'transient', meaning: 'the portal gave an unexpected answer' },
  CONNECTION_ERROR: { category: 'transient', meaning: 'the portal could not reach the OAuth server' },
  ERROR_BATCH_LENGTH_EXCEEDED: { category: 'input', meaning: 'too many commands in one batch' },
  ERROR_BATCH_METHOD_NOT_ALLOWED: { category: 'input', meaning: 'this method is not allowed inside a batch' },
};

/** A REST or OAuth error envelope: `{error, error_description[, argument]}`. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly description: string;
  readonly method: string;
  readonly argument: string | undefined;
  readonly category: ErrorCategory;

  constructor(init: { code: string; status: number; description?: string; method: string; argument?: string }) {
    const description = init.description ?? '';
    super(`${init.method}: ${init.code}${description ? ` (${description})` : ''}`);
    this.name = 'ApiError';
    this.code = init.code;
    this.status = init.status;
    this.description = description;
    this.method = init.method;
    this.argument = init.argument;
    this.category = categorize(init.code, init.status);
  }

  /** The plain-language meaning of the code, when the reference documents it. */
  get meaning(): string | undefined {
    return knownCodes[this.code]?.meaning;
  }
}

function categorize(code: string, status: number): ErrorCategory {
  const known = knownCodes[code]?.category;
  if (code === 'ERROR_CORE' && status >= 500) return 'transient';
  if (known) return known;
  return status >= 500 ? 'transient' : 'failure';
}

export type TransportKind = 'network' | 'timeout' | 'non-json' | 'redirect' | 'oversized';

/** The portal could not be reached, or replied with something that is not a REST envelope. */
export class TransportError extends Error {
  readonly kind: TransportKind;
  readonly status: number | undefined;
  readonly url: string;
  /** a call that changes something was sent and its reply lost: it may have been carried out */
  readonly mayHaveRun: boolean;

  constructor(kind: TransportKind, message: string, init: { url: string; status?: number; cause?: unknown; mayHaveRun?: boolean }) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'TransportError';
    this.kind = kind;
    this.status = init.status;
    this.url = init.url;
    this.mayHaveRun = init.mayHaveRun ?? false;
  }
}

/** Neither a usable access token nor a refresh token is available. */
export class MissingTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingTokenError';
  }
}
