import { readFileSync } from 'node:fs';
import { UsageError } from '../../errors.js';
import { fileError } from '../../fs-errors.js';

/**
 * The event's `data`: the fixture's (or `--data-file`'s JSON), then each `--data PATH=VALUE` set on
 * top by its dotted path (`FIELDS.ID=7405`). Values are strings, as every value of a form delivery is.
 */
export function eventData(base: unknown, file: string | undefined, assignments: string[]): unknown {
  let data = file === undefined ? structuredClone(base) : readDataFile(file);
  for (const assignment of assignments) data = assign(data, assignment);
  return data;
}

function readDataFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw fileError(error, 'read', '--data-file', file);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`--data-file ${file} is not JSON: ${(error as Error).message}`, { hint: 'give the event\'s data object, e.g. {"FIELDS":{"ID":"7"}}' });
  }
}

function assign(data: unknown, assignment: string): unknown {
  const at = assignment.indexOf('=');
  const path = at > 0 ? assignment.slice(0, at).split('.') : [];
  if (path.length === 0 || path.some((key) => key === '')) {
    throw new UsageError(`--data takes PATH=VALUE, not "${assignment}"`, { hint: 'e.g. --data FIELDS.ID=7405 (dots walk into the data)' });
  }
  const root = isObject(data) ? data : {};
  let node = root;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = node[key] = isObject(next) ? next : {};
  }
  node[path.at(-1) ?? ''] = assignment.slice(at + 1);
  return root;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
