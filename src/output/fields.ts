import { UsageError } from '../errors.js';

/**
 * `--fields a,b` keeps only those keys of the JSON document's objects (each row of a list, or the one
 * object), the way gh's `--json fields` does. A name no object has is a usage error listing the
 * names there are, so a typo never yields silently empty output.
 */
export function selectFields(data: unknown, fields: string[], knownFields?: string[]): unknown {
  const items = Array.isArray(data) ? data : [data];
  const objects = items.filter(isPlainObject);
  if (objects.length === 0) {
    if (items.length === 0) return data;
    throw new UsageError('--fields selects keys of JSON objects, and this command prints plain values', { hint: 'drop --fields' });
  }
  checkFields(fields, knownFields ?? [...new Set(objects.flatMap((object) => Object.keys(object)))]);
  const pick = (value: unknown) => (isPlainObject(value) ? Object.fromEntries(fields.filter((f) => f in value).map((f) => [f, value[f]])) : value);
  return Array.isArray(data) ? data.map(pick) : pick(data);
}

/** A name outside `known` is a usage error that lists the names there are. */
export function checkFields(fields: string[], known: string[]): void {
  const unknown = fields.filter((field) => !known.includes(field));
  if (unknown.length > 0) {
    throw new UsageError(`unknown ${unknown.length > 1 ? 'fields' : 'field'} ${unknown.join(', ')} for --fields`, { hint: `available: ${known.join(', ')}` });
  }
}

/** "a, b,c" → ["a", "b", "c"]; empty names are a usage error. */
export function parseFieldList(text: string): string[] {
  const fields = text.split(',').map((field) => field.trim());
  if (fields.some((field) => field === '')) throw new UsageError('--fields takes a comma-separated list of names, e.g. --fields event,handler');
  return fields;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
