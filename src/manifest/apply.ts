import type { B24Client } from '../api/client.js';
import { changeBindings, type BindingChange, type BindParams, type ChangeOutcome } from '../api/events.js';
import type { ApiError } from '../api/errors.js';
import { handlerKey, type Plan } from './diff.js';

export type ChangeAction = 'add' | 'remove';

/** What happened to one binding of the plan. */
export interface ChangeResult {
  action: ChangeAction;
  binding: BindParams;
  status: 'added' | 'already-bound' | 'removed' | 'already-gone' | 'failed';
  error?: ApiError;
}

/** One call of the run and the plan's bindings it carries out (an unbind may cover several users). */
interface Step {
  change: BindingChange;
  covers: { action: ChangeAction; binding: BindParams }[];
}

/**
 * Carries out a plan in bulk (`changeBindings`): removals first, so an `event.unbind` that covers
 * every user of a URL never undoes a bind of the same run.
 */
export async function applyPlan(client: B24Client, plan: Plan): Promise<ChangeResult[]> {
  const steps = [
    ...removalSteps(plan),
    ...plan.add.map((binding): Step => ({ change: { action: 'bind', params: binding }, covers: [{ action: 'add', binding }] })),
  ];
  const outcomes = await changeBindings(
    client,
    steps.map((step) => step.change),
  );
  return steps.flatMap((step, i) => stepResults(step, outcomes[i]));
}

function stepResults(step: Step, outcome: ChangeOutcome | undefined): ChangeResult[] {
  return step.covers.map((change): ChangeResult => {
    if (!outcome || !outcome.ok) return { ...change, status: 'failed', ...(outcome ? { error: outcome.error } : {}) };
    if (outcome.status === 'unbound') return { ...change, status: outcome.removed === 0 ? 'already-gone' : 'removed' };
    return { ...change, status: outcome.status === 'already-bound' ? 'already-bound' : 'added' };
  });
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
    const step = steps.get(key) ?? { change: { action: 'unbind', params: { ...binding, authType: exact ? binding.authType : undefined } }, covers: [] };
    step.covers.push({ action: 'remove', binding });
    steps.set(key, step);
  }
  return [...steps.values()];
}
