// batch (reference §2.3, §12.32): up to 50 sub-calls under the outer call's credentials, each
// "method?query-string", with `$result[key][field]` references to earlier results.
import { RestError } from '../errors.js';
import { normaliseMethod } from '../faults.js';
import { parseForm } from '../http-io.js';
import { Params } from '../params.js';
import { isPhpArray, isPlainObject, phpArrayJson, phpTruthy, strval } from '../php.js';
import { timeBlock } from '../time.js';
import type { CallContext, MethodOutcome } from './context.js';

const BATCH_MAX_LENGTH = 50;
const REFERENCE = /\$result((?:\[[^\]]*\])+)/g;

/** batch: the call itself always succeeds; failures land in `result_error` keyed by command. */
export async function batch(ctx: CallContext): Promise<MethodOutcome> {
  const cmd = ctx.params.get('cmd');
  const halt = phpTruthy(ctx.params.get('halt'));
  const maps = {
    result: new Map<string, unknown>(),
    result_error: new Map<string, unknown>(),
    result_total: new Map<string, unknown>(),
    result_next: new Map<string, unknown>(),
    result_time: new Map<string, unknown>(),
  };
  let run = 0;
  for (const [key, command] of isPhpArray(cmd) ? Object.entries(cmd) : []) {
    const started = Date.now();
    try {
      if (run >= BATCH_MAX_LENGTH) {
        throw new RestError(400, 'ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded');
      }
      run += 1;
      const { method, params } = parseCommand(strval(command), maps.result);
      if (method === 'batch') {
        throw new RestError(405, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage');
      }
      const outcome = await ctx.invoke(method, params);
      maps.result.set(key, outcome.result);
      if (outcome.total !== undefined) maps.result_total.set(key, outcome.total);
      if (outcome.next !== undefined) maps.result_next.set(key, outcome.next);
      maps.result_time.set(key, timeBlock(started, Date.now(), outcome.operating));
    } catch (error) {
      if (!(error instanceof RestError)) throw error;
      // batch.md's reply (dates, timings: a real one) shows an empty description for a sub-call's
      // insufficient_scope, where a top-level call gets the text (ref §1.6).
      const description = error.code === 'insufficient_scope' ? '' : error.description;
      maps.result_error.set(key, { error: error.code, error_description: description });
      if (halt) break;
    }
  }
  const result = Object.fromEntries(Object.entries(maps).map(([name, map]) => [name, phpArrayJson(map)]));
  return { result };
}

function parseCommand(command: string, results: Map<string, unknown>): { method: string; params: Params } {
  const separator = command.indexOf('?');
  const method = normaliseMethod((separator < 0 ? command : command.slice(0, separator)).trim());
  const query = separator < 0 ? {} : parseForm(command.slice(separator + 1));
  return { method, params: new Params(resolveReferences(query, results) as Record<string, unknown>) };
}

// A value that is exactly one reference takes the referenced value as is (arrays included); a reference
// inside longer text is replaced by its string form.
function resolveReferences(value: unknown, results: Map<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^\$result((?:\[[^\]]*\])+)$/.exec(value);
    if (whole?.[1]) return lookup(whole[1], results) ?? '';
    return value.replace(REFERENCE, (_match, path: string) => strval(lookup(path, results)));
  }
  if (Array.isArray(value)) return value.map((item) => resolveReferences(item, results));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveReferences(v, results)]));
  }
  return value;
}

function lookup(path: string, results: Map<string, unknown>): unknown {
  const [first, ...rest] = [...path.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '');
  let current: unknown = results.get(first ?? '');
  for (const segment of rest) {
    if (!isPhpArray(current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
