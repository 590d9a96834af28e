import { UsageError } from '../errors.js';
import { isLoopbackHost, isLoopbackUrl } from '../api/hosts.js';

const EVENT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Event codes are letters, digits and underscores (ONCRMDYNAMICITEMADD_147); sent upper-case. */
export function normalizeEventName(name: string): string {
  const trimmed = name.trim();
  if (!EVENT_NAME.test(trimmed)) {
    throw new UsageError(`"${name}" is not an event name`, { hint: 'event names look like ONCRMDEALADD; list them with `b24-events events`' });
  }
  return trimmed.toUpperCase();
}

/**
 * Checks a handler URL the way the portal will (scheme http/https, a host containing a dot), so the
 * mistake is reported before any request.
 */
export function checkHandlerUrl(text: string): string {
  // new URL() silently strips spaces and control characters, but the raw text is what gets sent.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
  if (/[\s\x00-\x1f\x7f]/.test(text)) {
    throw new UsageError(`the handler URL ${JSON.stringify(text)} contains spaces or control characters`, {
      hint: 'remove them (encode a space inside a path as %20)',
    });
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`"${text}" is not a URL`, { hint: 'pass an absolute URL like https://hooks.example.com/b24' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`the handler URL must use http or https, not ${url.protocol.replace(':', '')}`, {
      hint: 'the portal rejects other schemes (ERROR_UNSUPPORTED_PROTOCOL)',
    });
  }
  if (url.hostname.indexOf('.') <= 0) {
    throw new UsageError(`the handler URL's host "${url.hostname}" has no dot`, {
      hint: 'the portal rejects such hosts (ERROR_WRONG_HANDLER_URL); use a domain name, e.g. hooks.example.com (for a local portal such as `b24-events sandbox`, 127.0.0.1 works)',
    });
  }
  return text;
}

/**
 * The one reachability rule (bind, plan, apply, init): a handler on a local or private address
 * cannot be reached by a portal elsewhere, so events would never arrive. A loopback portal (the
 * sandbox) is on the same machine and can reach it: no warning then.
 */
export function unreachableWarning(handlerUrl: string, portal: string): string | undefined {
  let host: string;
  try {
    host = new URL(handlerUrl).hostname;
  } catch {
    return undefined;
  }
  if (!privateHost(host) || isLoopbackUrl(portal)) return undefined;
  return `${host} is a local or private address: the portal ${new URL(portal).host} cannot reach it, so events will not arrive`;
}

function privateHost(hostname: string): boolean {
  if (isLoopbackHost(hostname) || hostname.endsWith('.local') || hostname.endsWith('.localhost')) return true;
  const octets = hostname.split('.').map(Number);
  if (octets.length !== 4 || octets.some((n) => !Number.isInteger(n))) return false;
  const [a = 0, b = 0] = octets;
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || a === 0;
}
