import type { BindParams } from '../../api/events.js';
import type { Context } from '../../context.js';
import { inSync, type Plan } from '../../manifest/diff.js';
import { bindingView, describeBinding } from './binding-view.js';
import { count } from '../../output/plural.js';
import { portalJson, portalLabel, type PortalResult } from './portals.js';

/** A plan in the portal's field names. */
export function planJson(plan: Plan): Record<string, unknown> {
  return {
    in_sync: inSync(plan),
    add: plan.add.map(bindingView),
    remove: plan.remove.map(bindingView),
    unmanaged: plan.unmanaged.map(bindingView),
    unchanged: plan.unchanged,
  };
}

/** One document: the portal's result, or `{"portals": […]}` when the command ran on several. */
export function printPortalsJson<T>(ctx: Context, results: PortalResult<T>[], several: boolean, view: (value: T) => Record<string, unknown>): void {
  const documents = results.map((r) => ({ ...portalJson(r), ...(r.error ? {} : view(r.value)) }));
  ctx.printer.printJson(several ? { portals: documents } : documents[0]);
}

/** The readable diff: `+`/`-` lines on stdout, the summary on stderr. */
export function printPlan(ctx: Context, plan: Plan, heading: string | undefined): void {
  const { palette } = ctx.printer;
  if (heading) ctx.printer.line(palette.bold(heading));
  for (const binding of plan.add) ctx.printer.line(palette.success(`+ ${describeBinding(binding)}`));
  for (const binding of plan.remove) ctx.printer.line(palette.error(`- ${describeBinding(binding)}`));
  if (inSync(plan)) ctx.printer.note(`No changes: ${count(plan.unchanged, 'binding')} in sync with the manifest`);
  else ctx.printer.note(`Plan: ${plan.add.length} to add, ${plan.remove.length} to remove, ${plan.unchanged} unchanged`);
  noteUnmanaged(ctx, plan.unmanaged);
}

/** Bindings kept because --prune was not given. */
export function noteUnmanaged(ctx: Context, unmanaged: BindParams[]): void {
  if (unmanaged.length === 0) return;
  const list = unmanaged.slice(0, 3).map(describeBinding).join('; ');
  const more = unmanaged.length > 3 ? `; and ${unmanaged.length - 3} more` : '';
  ctx.printer.note(`${count(unmanaged.length, 'binding')} on the portal not in the manifest, kept (--prune removes them): ${list}${more}`);
}

/** Heading before a portal's lines when the command runs on several portals. */
export function headingFor(result: PortalResult<unknown>, several: boolean): string | undefined {
  return several ? `${portalLabel(result.session)}:` : undefined;
}
