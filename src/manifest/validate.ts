import type { z } from 'zod';
import type { BindParams } from '../api/events.js';
import { CliError } from '../errors.js';
import { checkHandlerUrl } from '../bindings/validate.js';
import { substituteVariables } from './env.js';
import { entrySchemaFor, manifestSchema } from './schema.js';

/** A binding the manifest asks for, resolved (variables substituted, event upper-case). */
export interface DesiredBinding extends BindParams {
  /** position in `bindings`, for messages */
  index: number;
}

/** One thing wrong with a manifest, located by entry and field. */
export interface Problem {
  index?: number;
  event?: string;
  field?: string;
  message: string;
  missingVariable?: boolean;
}

/** Where a problem is: the entry (by index and event). */
type Location = Pick<Problem, 'index' | 'event'>;

/** "bindings[2] (ONCRMDEALADD) handler: …" */
export function describeProblem(problem: Problem): string {
  const entry = problem.index === undefined ? '' : `bindings[${problem.index}]${problem.event ? ` (${problem.event})` : ''}`;
  const where = [entry, problem.field].filter(Boolean).join(' ');
  return where ? `${where}: ${problem.message}` : problem.message;
}

/** Top-level shape; entries are checked one by one so each problem names its entry. */
export function checkDocument(document: unknown): { entries: unknown[]; problems: Problem[] } {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { entries: [], problems: [{ message: 'must be an object with a "bindings" list' }] };
  }
  const { bindings, ...rest } = document as Record<string, unknown>;
  const top = manifestSchema.omit({ bindings: true }).safeParse(rest);
  const problems = top.success ? [] : issuesToProblems(top.error.issues, {});
  if (!Array.isArray(bindings)) problems.push({ field: 'bindings', message: bindings === undefined ? 'required' : 'must be a list of bindings' });
  return { entries: Array.isArray(bindings) ? bindings : [], problems };
}

/** Validates one entry, substitutes its variables and applies the rules a schema cannot express. */
export function resolveEntry(raw: unknown, index: number, env: NodeJS.ProcessEnv): { binding?: DesiredBinding; problems: Problem[] } {
  const rawEvent = (raw as { event?: unknown } | null)?.event;
  const at = { index, ...(typeof rawEvent === 'string' && rawEvent ? { event: rawEvent.toUpperCase() } : {}) };
  const parsed = entrySchemaFor(raw).safeParse(raw);
  if (!parsed.success) return { problems: issuesToProblems(parsed.error.issues, at) };
  const entry = parsed.data;
  const problems: Problem[] = [];
  const text = (field: string, value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const { value: resolved, missing } = substituteVariables(value, env);
    for (const name of missing) problems.push({ ...at, field, message: `environment variable ${name} is not set`, missingVariable: true });
    return resolved;
  };
  const binding: DesiredBinding = { index, event: at.event ?? '', offline: entry.offline === true };
  if (entry.offline === true) {
    binding.connector = text('connector', entry.connector);
    if (binding.event === 'ONOFFLINEEVENT')
      problems.push({ ...at, field: 'offline', message: 'ONOFFLINEEVENT cannot be bound offline; bind it online to a URL' });
  } else {
    binding.handler = text('handler', entry.handler);
    binding.authType = userId(typeof entry.auth_type === 'string' ? text('auth_type', entry.auth_type) : entry.auth_type, at, problems);
    if (entry.options) binding.options = { ...entry.options };
    if (entry.options && binding.event !== 'ONOFFLINEEVENT') problems.push({ ...at, field: 'options.minTimeout', message: 'applies only to ONOFFLINEEVENT' });
    if (binding.handler !== undefined && !problems.some((p) => p.field === 'handler')) urlProblem(binding.handler, at, problems);
  }
  return problems.length ? { problems } : { binding, problems };
}

/** A binding listed twice would make the plan ambiguous; so would a URL listed with and without auth_type. */
export function duplicateProblems(bindings: DesiredBinding[]): Problem[] {
  const groups = new Map<string, Map<string, DesiredBinding>>();
  const problems: Problem[] = [];
  for (const binding of bindings) {
    const group = binding.offline ? `off|${binding.event}|${binding.connector ?? ''}` : `on|${binding.event}|${binding.handler}`;
    const users = groups.get(group) ?? new Map<string, DesiredBinding>();
    groups.set(group, users);
    const user = binding.offline || binding.authType === undefined ? '*' : String(binding.authType);
    const earlier = user === '*' ? users.values().next().value : (users.get(user) ?? users.get('*'));
    if (earlier) {
      const anyUser = !binding.offline && (earlier.authType === undefined || binding.authType === undefined);
      const how = anyUser && earlier.authType !== binding.authType ? ' (an entry without auth_type already matches every user)' : '';
      problems.push({ index: binding.index, event: binding.event, message: `the same binding as bindings[${earlier.index}]${how}` });
    } else users.set(user, binding);
  }
  return problems;
}

function userId(value: number | string | undefined, at: Location, problems: Problem[]): number | undefined {
  if (value === undefined || typeof value === 'number') return value;
  if (/^\d+$/.test(value)) return Number(value);
  if (!problems.some((p) => p.field === 'auth_type')) problems.push({ ...at, field: 'auth_type', message: `must be a user id (digits), got "${value}"` });
  return undefined;
}

function urlProblem(url: string, at: Location, problems: Problem[]): void {
  try {
    checkHandlerUrl(url);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    problems.push({ ...at, field: 'handler', message: error.message });
  }
}

function issuesToProblems(issues: z.core.$ZodIssue[], at: Location): Problem[] {
  return issues.flatMap((issue) => {
    const field = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ ...at, field: [field, key].filter(Boolean).join('.'), message: 'unknown field' }));
    }
    return [{ ...at, ...(field ? { field } : {}), message: issue.message }];
  });
}
