// PHP's form encoding, `http_build_query()` with its defaults, which is how a Bitrix24 portal writes
// the body of every event it POSTs to a handler (a captured real delivery round-trips through PHP's
// parse_str/http_build_query byte for byte). One encoder for everything this project sends in that
// shape (the sandbox's deliveries, `offline drain --forward-to`), so the two cannot drift apart.
//
// Rules (PHP 8, verified against php-cli): keys and values are urlencode()d, i.e. RFC 1738 with `+`
// for a space and every byte outside [A-Za-z0-9_.-] percent-encoded (`~` too); nested values become
// `key[sub]` with the brackets encoded; true → 1, false → 0; null and empty arrays are left out.

/** `http_build_query($value)` for a map of fields, keeping the map's key order. */
export function phpFormEncode(fields: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(fields)) appendField(parts, phpUrlEncode(key), value);
  return parts.join('&');
}

function appendField(parts: string[], name: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) appendField(parts, `${name}%5B${phpUrlEncode(key)}%5D`, item);
    return;
  }
  parts.push(`${name}=${phpUrlEncode(scalarText(value))}`);
}

/** PHP's string form of a scalar in a form body: booleans as 1/0, numbers in decimal. */
function scalarText(value: unknown): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** PHP urlencode(): UTF-8 bytes, `+` for a space, only [A-Za-z0-9_.-] left as they are. */
export function phpUrlEncode(text: string): string {
  return encodeURIComponent(wellFormed(text))
    .replace(/[!'()*~]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

// encodeURIComponent throws on a lone surrogate; PHP would send the raw bytes, the nearest we can do is U+FFFD.
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
