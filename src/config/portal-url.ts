import { isLoopbackHost } from '../api/hosts.js';
import { UsageError } from '../errors.js';

const WEBHOOK_PATH = /^\/rest\/\d+\/[^/]+\/?/;

/**
 * Normalises what a user types as a portal address to its origin: `x.bitrix24.com`,
 * `https://x.bitrix24.com/` and `https://x.bitrix24.com/rest/` all give `https://x.bitrix24.com`;
 * without a scheme a loopback address (a local test portal such as the sandbox) means http.
 * Incoming-webhook URLs are refused here, before a profile that could never work is saved.
 */
export function normalizePortalUrl(input: string, what = 'portal URL'): string {
  const text = input.trim();
  if (!text) throw new UsageError(`the ${what} is empty`, { hint: 'pass it like https://example.bitrix24.com' });
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `${schemeFor(text)}://${text}`);
  } catch {
    throw new UsageError(`the ${what} "${text}" is not a URL`, { hint: 'pass it like https://example.bitrix24.com' });
  }
  if (WEBHOOK_PATH.test(url.pathname)) throw webhookRefusal(what);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new UsageError(`the ${what} must use https (${url.host} is not a loopback address)`, {
      hint: `use https://${url.host}; plain http is accepted only for 127.0.0.1/localhost test portals`,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`the ${what} must be an https:// address`, { hint: 'pass it like https://example.bitrix24.com' });
  }
  return url.origin;
}

export function webhookRefusal(what = 'portal URL'): UsageError {
  const then = what.startsWith('B24_')
    ? 'set B24_PORTAL=https://PORTAL with B24_CLIENT_ID, B24_CLIENT_SECRET and B24_REFRESH_TOKEN'
    : 'pass --portal https://PORTAL --client-id … --client-secret … --refresh-token …';
  return new UsageError(`the ${what} is an incoming-webhook URL, but event methods work only with an application OAuth token (webhooks get WRONG_AUTH_TYPE)`, {
    hint: `create a local application (Developer resources → Other → Local application, "uses API only"), then ${then}`,
  });
}

/** The scheme a scheme-less address means: http for a loopback host, https for anything else. */
function schemeFor(text: string): 'http' | 'https' {
  try {
    return isLoopbackHost(new URL(`http://${text}`).hostname) ? 'http' : 'https';
  } catch {
    return 'https';
  }
}
