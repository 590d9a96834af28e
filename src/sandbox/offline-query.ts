// Filter and order of event.offline.get / .list (reference §5.6, §12.19, §12.23), with the exact
// ERROR_ARGUMENT messages. Operators are the server's set: none/`=`, `>`, `<`, `>=`, `<=`, plus the
// undocumented `@` (in) and `%` (substring); anything else, `!` included, is refused.
import { argumentError } from './errors.js';
import type { QueueRow } from './offline-bucket.js';
import { isPhpArray, phpArrayValues, strval } from './php.js';

export type QueueField = 'ID' | 'TIMESTAMP_X' | 'EVENT_NAME' | 'MESSAGE_ID' | 'PROCESS_ID' | 'ERROR';
type Operator = '=' | '>' | '<' | '>=' | '<=' | '@' | '%';
type Scalar = string | number | boolean;

export const GET_FIELDS: readonly QueueField[] = ['ID', 'TIMESTAMP_X', 'EVENT_NAME', 'MESSAGE_ID'];
export const LIST_FIELDS: readonly QueueField[] = [...GET_FIELDS, 'PROCESS_ID', 'ERROR'];
const OPERATORS: readonly string[] = ['=', '>', '<', '>=', '<=', '@', '%'];

export interface Condition {
  field: QueueField;
  op: Operator;
  values: (string | number)[];
}

export interface OrderTerm {
  field: QueueField;
  desc: boolean;
}

/** Parses a filter object; throws the server's ERROR_ARGUMENT for any malformed part. */
export function parseFilter(raw: unknown, allowed: readonly QueueField[]): Condition[] {
  if (raw === undefined || raw === null) return [];
  if (!isPhpArray(raw)) throw argumentError('The filter is not an array.');
  return Object.entries(raw).map(([key, value]) => {
    const [, op = '', name = ''] = /^([^A-Za-z_]*)(.*)$/s.exec(key) ?? [];
    const field = name.toUpperCase() as QueueField;
    if (!allowed.includes(field)) throw argumentError(`Filter field not allowed: ${name}`);
    if (op !== '' && !OPERATORS.includes(op)) throw argumentError(`Filter operation not allowed: ${op}`);
    const operator = (op || '=') as Operator;
    return { field, op: operator, values: filterValues(key, field, operator, value) };
  });
}

function filterValues(key: string, field: QueueField, op: Operator, value: unknown): (string | number)[] {
  const invalid = (): Error => argumentError(`The value of an argument '${key}' has an invalid type`, key);
  let scalars: unknown[];
  if (op === '@') {
    scalars = phpArrayValues(value) ?? (isScalar(value) ? strval(value).split(',') : []);
  } else {
    scalars = [value];
  }
  if (scalars.length === 0 || !scalars.every(isScalar)) throw invalid();
  return scalars.map((scalar) => {
    const normalised = normaliseValue(field, scalar);
    if (normalised === undefined) throw invalid();
    return normalised;
  });
}

function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

// Rows compare TIMESTAMP_X in whole seconds, like the database's datetime column.
function normaliseValue(field: QueueField, value: Scalar): string | number | undefined {
  if (field === 'TIMESTAMP_X') {
    const ms = Date.parse(strval(value));
    return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
  }
  if (field === 'ID' || field === 'ERROR') return typeof value === 'number' ? value : Number(strval(value));
  return strval(value).toLowerCase();
}

/** Parses an order object; empty or absent gives `fallback`. */
export function parseOrder(raw: unknown, allowed: readonly QueueField[], fallback: OrderTerm[]): OrderTerm[] {
  if (raw === undefined || raw === null) return fallback;
  if (!isPhpArray(raw)) throw argumentError('The order is not an array.');
  const terms = Object.entries(raw).map(([key, value]) => {
    const field = key.toUpperCase() as QueueField;
    if (!allowed.includes(field)) throw argumentError(`Order field not allowed: ${key}`);
    const direction = strval(value).toUpperCase();
    if (direction !== 'ASC' && direction !== 'DESC') throw argumentError('Order direction should be one of {ASC|DESC}');
    return { field, desc: direction === 'DESC' };
  });
  return terms.length > 0 ? terms : fallback;
}

function fieldValue(row: QueueRow, field: QueueField): string | number {
  switch (field) {
    case 'TIMESTAMP_X':
      return Math.floor(row.TIMESTAMP_X / 1000);
    case 'ID':
    case 'ERROR':
      return row[field];
    default:
      return row[field].toLowerCase();
  }
}

/** Whether a row satisfies every condition. */
export function matchesAll(row: QueueRow, conditions: readonly Condition[]): boolean {
  return conditions.every((c) => matches(fieldValue(row, c.field), c));
}

function matches(actual: string | number, c: Condition): boolean {
  const [expected = ''] = c.values;
  switch (c.op) {
    case '=':
      return actual === expected;
    case '>':
      return actual > expected;
    case '<':
      return actual < expected;
    case '>=':
      return actual >= expected;
    case '<=':
      return actual <= expected;
    case '@':
      return c.values.includes(actual);
    case '%':
      return String(actual).toLowerCase().includes(String(expected).toLowerCase());
  }
}

/** A comparator for `order`; ties fall back to write order, which matches TIMESTAMP_X within a second. */
export function rowComparator(order: readonly OrderTerm[]): (a: QueueRow, b: QueueRow) => number {
  return (a, b) => {
    for (const term of order) {
      const left = fieldValue(a, term.field);
      const right = fieldValue(b, term.field);
      if (left !== right) return (left < right ? -1 : 1) * (term.desc ? -1 : 1);
    }
    return a.seq - b.seq;
  };
}
