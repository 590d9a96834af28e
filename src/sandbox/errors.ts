// REST error type and the portal's exact codes, messages and HTTP statuses (reference §1.6, §12.31).
// Clients branch on these strings, so they are spelled here once and never composed elsewhere.

/** A REST failure rendered as `{error, error_description[, argument]}`; thrown anywhere below the router. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly argument?: string,
  ) {
    super(`${code}: ${description}`);
    this.name = 'RestError';
  }

  /** The JSON error body; `argument` only when the server names one, and never a `time` block. */
  toBody(): Record<string, string> {
    const body: Record<string, string> = { error: this.code, error_description: this.description };
    if (this.argument !== undefined) body.argument = this.argument;
    return body;
  }
}

/** `ERROR_ARGUMENT` (400); most validation failures of the event methods. */
export function argumentError(description: string, argument?: string): RestError {
  return new RestError(400, 'ERROR_ARGUMENT', description, argument);
}

/** `ERROR_ARGUMENT` for a missing required parameter, in the server's wording. */
export function emptyArgument(name: string): RestError {
  return argumentError(`Argument '${name}' is null or empty`, name);
}

/** `ACCESS_DENIED` (403); `detail` is appended after "Access denied!" as the server does. */
export function accessDenied(detail?: string): RestError {
  return new RestError(403, 'ACCESS_DENIED', detail ? `Access denied! ${detail}` : 'Access denied!');
}

/** `WRONG_AUTH_TYPE` (403): an event method called with a webhook instead of an OAuth token. */
export function wrongAuthType(): RestError {
  return new RestError(403, 'WRONG_AUTH_TYPE', 'Current authorization type is denied for this method');
}

/** `WRONG_LICENSE` (403) naming the missing plan feature in the server's words. */
export function wrongLicense(feature: string): RestError {
  return new RestError(403, 'WRONG_LICENSE', `This feature is not enabled for the current license: ${feature}`);
}

/** `NO_AUTH_FOUND` (401): no credential, an unknown token or an unknown webhook code. */
export function noAuthFound(): RestError {
  return new RestError(401, 'NO_AUTH_FOUND', 'Wrong authorization data');
}

/** `expired_token` (401): the one error a client answers by refreshing. */
export function expiredToken(): RestError {
  return new RestError(401, 'expired_token', 'The access token provided has expired');
}

/** `insufficient_scope` (401 in code, although the docs say 403). */
export function insufficientScope(webhook: boolean): RestError {
  const by = webhook ? 'the webhook token' : 'the access token';
  return new RestError(401, 'insufficient_scope', `The request requires higher privileges than provided by ${by}`);
}

/** `ERROR_METHOD_NOT_FOUND` (404); raised before authentication. */
export function methodNotFound(): RestError {
  return new RestError(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!');
}

/** `QUERY_LIMIT_EXCEEDED` (503) from the leaky bucket. */
export function queryLimitExceeded(): RestError {
  return new RestError(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests');
}

/** `ERROR_CORE` (400), e.g. the duplicate-handler refusal. */
export function coreError(description: string): RestError {
  return new RestError(400, 'ERROR_CORE', description);
}

/** `OPERATION_TIME_LIMIT` (429): the method's operating budget for this caller is used up (§2.2). */
export function operationTimeLimit(): RestError {
  return new RestError(429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.');
}
