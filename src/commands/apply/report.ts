import type { Context } from '../../context.js';
import { CliError, ExitCode } from '../../errors.js';
import { toCliError } from '../../error-report.js';
import type { Plan } from '../../manifest/diff.js';
import type { ChangeResult } from '../../manifest/apply.js';
import { bindingView, describeBinding } from '../shared/binding-view.js';
import { count } from '../../output/plural.js';
import { noteUnmanaged } from '../shared/plan-view.js';

/** What `apply` did to one portal. */
export interface Applied {
  plan: Plan;
  changes: ChangeResult[];
}

function tally(applied: Applied) {
  const of = (status: ChangeResult['status']) => applied.changes.filter((c) => c.status === status).length;
  return {
    added: of('added'),
    already_bound: of('already-bound'),
    removed: of('removed'),
    already_gone: of('already-gone'),
    failed: of('failed'),
    unchanged: applied.plan.unchanged,
  };
}

/** The reason a change failed, in the CLI's words (what happened — what to do). */
function reason(change: ChangeResult): { code: string; message: string; hint: string | undefined } {
  const error = toCliError(change.error);
  return { code: error.code, message: error.message, hint: error.hint };
}

/** One portal's result in the portal's field names. */
export function appliedJson(applied: Applied): Record<string, unknown> {
  return {
    ...tally(applied),
    changes: applied.changes.map((change) => ({
      action: change.action,
      status: change.status,
      ...bindingView(change.binding),
      ...(change.error ? { error: reason(change) } : {}),
    })),
    unmanaged: applied.plan.unmanaged.map(bindingView),
  };
}

/** Readable report on stderr: one line per change, each failure with its reason, then totals. */
export function printApplied(ctx: Context, applied: Applied, heading: string | undefined): void {
  const { printer } = ctx;
  if (heading) printer.note(printer.errPalette.bold(heading));
  if (applied.changes.length === 0)
    printer.note(`Nothing to do: ${count(applied.plan.unchanged, 'binding')} already ${applied.plan.unchanged === 1 ? 'matches' : 'match'} the manifest`);
  for (const change of applied.changes) {
    const what = describeBinding(change.binding);
    if (change.status === 'added') printer.success(`added ${what}`);
    else if (change.status === 'removed') printer.success(`removed ${what}`);
    else if (change.status === 'already-bound') printer.note(`${what} is already bound`);
    else if (change.status === 'already-gone') printer.note(`${what} was already gone`);
    else {
      const { message, hint } = reason(change);
      printer.warn(`failed ${what}: ${message}${hint ? ` — ${hint}` : ''}`);
    }
  }
  if (applied.changes.length) {
    const t = tally(applied);
    const already = t.already_bound ? `, ${t.already_bound} already bound` : '';
    const failed = t.failed ? `, ${t.failed} failed` : '';
    printer.note(`Applied: ${t.added} added, ${t.removed} removed${already}${failed}; ${t.unchanged} unchanged`);
  }
  noteUnmanaged(ctx, applied.plan.unmanaged);
}

/** Non-zero exit when any change failed, after everything that could be applied was. */
export function throwIfChangesFailed(all: Applied[]): void {
  const changes = all.flatMap((a) => a.changes);
  const failed = changes.filter((c) => c.status === 'failed').length;
  if (failed) {
    const what = failed < changes.length ? `${failed} of ${changes.length} changes failed; the others were applied` : `${count(failed, 'change')} failed`;
    throw new CliError(what, ExitCode.failure, { hint: 'see the reasons above, fix them and run apply again (re-running is safe)' });
  }
}
