import type { Command } from 'commander';
import { getHandlers } from '../../api/events.js';
import type { Context } from '../../context.js';
import { ExitCode, SilentError } from '../../errors.js';
import { inSync, planChanges, type Plan } from '../../manifest/diff.js';
import { loadManifest, type LoadedManifest } from '../../manifest/load.js';
import { unreachableWarning } from '../../bindings/validate.js';
import { headingFor, planJson, printPlan, printPortalsJson } from './plan-view.js';
import { eachPortal, openPortals, throwIfPortalsFailed, type PortalResult, type Portals } from './portals.js';

export const DEFAULT_MANIFEST = 'b24-events.json';

/** What comparing a manifest with the portals takes (`plan`, and `apply` before it changes anything). */
export interface PlanRequest {
  file: string;
  prune: boolean;
  allProfiles: boolean;
}

/** Options `plan` and `apply` share. */
export function manifestOptions(command: Command): Command {
  return command
    .option('-f, --file <path>', `manifest file, JSON or YAML (default: ${DEFAULT_MANIFEST})`)
    .option('--prune', 'also remove bindings the manifest does not list')
    .option('--all-profiles', "every saved profile but sandboxes' (or give --profile several times)")
    .option('--detailed-exitcode', 'with plan (or apply --dry-run): exit 3 when changes are pending (0 = in sync), for CI drift checks');
}

/** Reads the manifest (warnings on stderr) and each portal's bindings, and compares them. */
export async function planPortals(ctx: Context, opts: PlanRequest): Promise<{ manifest: LoadedManifest; portals: Portals; plans: PortalResult<Plan>[] }> {
  const manifest = await loadManifest(opts.file, ctx.env);
  const portals = await openPortals(ctx, opts.allProfiles);
  const handlers = [...new Set(manifest.bindings.flatMap((binding) => (binding.handler ? [binding.handler] : [])))];
  const warnings = portals.sessions.flatMap((session) => handlers.map((handler) => unreachableWarning(handler, session.portal) ?? []).flat());
  for (const warning of new Set(warnings)) ctx.printer.warn(warning);
  const plans = await eachPortal(ctx, portals, async (session) =>
    planChanges(manifest.bindings, await getHandlers(session.client), opts.prune, session.caller),
  );
  return { manifest, portals, plans };
}

/** Prints what `apply` would change; with `detailedExitcode`, exit 3 when any portal is not in sync. */
export async function showPlans(ctx: Context, opts: PlanRequest & { detailedExitcode: boolean }): Promise<void> {
  const { portals, plans } = await planPortals(ctx, opts);
  if (ctx.globals.json) printPortalsJson(ctx, plans, portals.several, planJson);
  else for (const result of plans) if (result.value) printPlan(ctx, result.value, headingFor(result, portals.several));
  throwIfPortalsFailed(plans);
  if (opts.detailedExitcode && plans.some((r) => r.value && !inSync(r.value))) throw new SilentError(ExitCode.changesPending);
}
