import { UsageError } from '../../errors.js';

/**
 * A local handler's address as a developer types it: `localhost:3000/b24` means
 * http://localhost:3000/b24 (`trigger --to`, `listen --forward-to`); only http(s) URLs are accepted.
 */
export function targetUrl(text: string, flag = '--to'): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`${flag} "${text}" is not a URL`, { hint: `e.g. ${flag} localhost:3000/b24` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag} must be an http(s) URL, not ${url.protocol}`);
  return url.toString();
}
