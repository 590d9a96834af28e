import { runBatch, type BatchCommand, type BatchOutcome } from '../api/batch.js';
import type { B24Client } from '../api/client.js';
import { ApiError } from '../api/errors.js';
import { bindingParams, isAlreadyBound, type BindParams } from '../api/events.js';
import { handlerKey, type Plan } from './diff.js';

export type ChangeAction = 'add' | 'remove';

/** What happened to one binding of the plan. */
export interface ChangeResult {
  action: ChangeAction;
  binding: BindParams;
  status: 'added' | 'already-bound' | 'removed' | 'already-gone' | 'failed';
  error?: ApiError;
}

interface Step {
  method: 'event.bind' | 'event.unbind';
  params: Record<string, unknown>;
  connector: string;
  changes: { action: ChangeAction; binding: BindParams }[];
}

/**
 * Carries out a plan with `batch` (≤ 50 calls per request): removals first, so an `event.unbind`
 * that covers every user of a URL never undoes a bind of the same run. Sub-calls share the outer
 * call's authentication, so each offline connector gets its own batches (`auth_connector`).
 * Retrying a batch is safe: a repeated bind answers "already binded", a repeated unbind removes 0.
 */
export async function applyPlan(client: B24Client, plan: Plan): Promise<ChangeResult[]> {
  const steps = [...removalSteps(plan), ...plan.add.map(addStep)];
  const results: ChangeResult[] = [];
  for (const [connector, group] of groupByConnector(steps)) {
    const commands: BatchCommand[] = group.map((step, i) => ({ key: `c${i}`, method: step.method, params: step.params }));
    const outer = connector ? { auth_connector: connector } : undefined;
    let outcomes: BatchOutcome[];
    try {
      outcomes = await runBatch(client, commands, { idempotent: true, outer });
    } catch (error) {
      // A whole group refused (WRONG_LICENSE for a connector, the network): report its changes as
      // failed and go on, so what the other groups applied is still reported.
      outcomes = commands.map((c) => ({ key: c.key, ok: false as const, error: asApiError(error, c.method) }));
    }
    group.forEach((step, i) => results.push(...stepResults(step, outcomes[i])));
  }
  return results;
}

function stepResults(step: Step, outcome: BatchOutcome | undefined): ChangeResult[] {
  return step.changes.map((change) => {
    if (outcome?.ok) {
      // An unbind that matched nothing was already gone: not a failure, but not a removal either.
      const removedNothing = change.action === 'remove' && Number((outcome.result as { count?: unknown } | undefined)?.count ?? 1) === 0;
      return { ...change, status: change.action === 'add' ? 'added' : removedNothing ? 'already-gone' : 'removed' };
    }
    if (outcome && change.action === 'add' && isAlreadyBound(outcome.error)) return { ...change, status: 'already-bound' };
    return { ...change, status: 'failed', ...(outcome ? { error: outcome.error } : {}) };
  });
}

function asApiError(error: unknown, method: string): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError({ code: 'NOT_APPLIED', status: 0, description: `${message} (outcome unknown: re-run plan)`, method });
}

function addStep(binding: BindParams): Step {
  return {
    method: 'event.bind',
    params: bindingParams(binding),
    connector: binding.connector ?? '',
    changes: [{ action: 'add', binding }],
  };
}

/**
 * One `event.unbind` per offline subscription. Online ones are matched by event and URL; auth_type
 * is sent only when another user's binding of that URL stays: an unbind without it removes every
 * user's, and a non-administrator's string auth_type (all batch values are strings) is refused.
 */
function removalSteps(plan: Plan): Step[] {
  const kept = new Set(plan.keep.filter((b) => !b.offline).map(handlerKey));
  const steps = new Map<string, Step>();
  for (const binding of plan.remove) {
    const exact = binding.offline || kept.has(handlerKey(binding));
    const key = binding.offline ? `offline|${binding.event}|${binding.connector ?? ''}` : `${handlerKey(binding)}|${exact ? binding.authType : '*'}`;
    const step = steps.get(key) ?? {
      method: 'event.unbind',
      params: bindingParams({ ...binding, authType: exact ? binding.authType : undefined }),
      connector: binding.connector ?? '',
      changes: [],
    };
    step.changes.push({ action: 'remove', binding });
    steps.set(key, step);
  }
  return [...steps.values()];
}

function groupByConnector(steps: Step[]): Map<string, Step[]> {
  const groups = new Map<string, Step[]>();
  for (const step of steps) groups.set(step.connector, [...(groups.get(step.connector) ?? []), step]);
  return groups;
}
