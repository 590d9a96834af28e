// PHP value semantics the portal applies to request parameters. Form-encoded requests deliver every
// value as a string, JSON ones keep their types; the server's intval()/truthiness/isset() rules decide
// how both are read, and some traps (strict integer `auth_type`) only exist because of them.

/** True for a JSON object / PHP associative array (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** PHP is_array(): JSON arrays and objects both arrive as PHP arrays. */
export function isPhpArray(value: unknown): value is unknown[] | Record<string, unknown> {
  return Array.isArray(value) || isPlainObject(value);
}

/** Values of a PHP array in order, or undefined when `value` is a scalar. */
export function phpArrayValues(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value as unknown[];
  if (isPlainObject(value)) return Object.values(value);
  return undefined;
}

/** PHP intval(): leading integer of a string, truncated number, booleans as 0/1, anything else 0. */
export function intval(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const match = /^\s*([+-]?\d+)/.exec(value);
    return match?.[1] ? Number.parseInt(match[1], 10) : 0;
  }
  if (isPhpArray(value)) return (phpArrayValues(value) ?? []).length > 0 ? 1 : 0;
  return 0;
}

/** PHP truthiness: '', '0', 0, false, null and empty arrays are false; the string 'false' is true. */
export function phpTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value !== '' && value !== '0';
  if (isPhpArray(value)) return (phpArrayValues(value) ?? []).length > 0;
  return true;
}

/** PHP strval() of a scalar; arrays and objects give ''. */
export function strval(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '';
  return '';
}

/**
 * Shapes a keyed map the way PHP's json_encode would: keys 0..n-1 in order become a JSON list,
 * and an empty map becomes `[]` (clients must parse both `[]` and `{}` for empty batch maps).
 */
export function phpArrayJson(map: Map<string, unknown>): unknown {
  let index = 0;
  for (const key of map.keys()) {
    if (key !== String(index)) return Object.fromEntries(map);
    index += 1;
  }
  return [...map.values()];
}

/**
 * json_encode() with PHP's default flags (escaped slashes and \uXXXX for non-ASCII), so that
 * MESSAGE_ID = md5(EVENT|json(data)) matches what a real portal computes for the same data. An empty
 * JSON object reaches PHP as an empty array, which encodes as `[]`.
 */
export function phpJsonEncode(value: unknown): string {
  const json = JSON.stringify(value ?? null, (_key, item: unknown) => (isPlainObject(item) && Object.keys(item).length === 0 ? [] : item)) ?? 'null';
  return json.replace(/\//g, '\\/').replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
