/**
 * Loopback hosts: where plain http is acceptable (local test portals, the sandbox) and where a token
 * may go without TLS. No imports, so the start-up error path can use it without loading undici.
 */
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/** The same test for a whole URL; false for anything that does not parse. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}
