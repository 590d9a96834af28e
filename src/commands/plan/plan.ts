import { Command } from 'commander';
import { z } from 'zod';
import { getHandlers } from '../../api/events.js';
import type { Context } from '../../context.js';
import { ExitCode, SilentError } from '../../errors.js';
import { inSync, planChanges, type Plan } from '../../manifest/diff.js';
import { loadManifest, type LoadedManifest } from '../../manifest/load.js';
import { attach, examples, withOptions } from '../shared/options.js';
import { headingFor, planJson, printPlan, printPortalsJson } from '../shared/plan-view.js';
import { eachPortal, openPortals, throwIfPortalsFailed, type PortalResult, type Portals } from '../shared/portals.js';

export const DEFAULT_MANIFEST = 'b24-events.json';

export const planOptionsSchema = z.object({
  file: z.string().min(1, 'must name a manifest file').default(DEFAULT_MANIFEST),
  prune: z.boolean().default(false),
  detailedExitcode: z.boolean().default(false),
  allProfiles: z.boolean().default(false),
});
export type PlanOptions = z.infer<typeof planOptionsSchema>;

/** Reads the manifest (warnings on stderr) and each portal's bindings, and compares them. */
export async function planPortals(
  ctx: Context,
  opts: { file: string; prune: boolean; allProfiles: boolean },
): Promise<{ manifest: LoadedManifest; portals: Portals; plans: PortalResult<Plan>[] }> {
  const manifest = await loadManifest(opts.file, ctx.env);
  for (const warning of manifest.warnings) ctx.printer.warn(warning);
  const portals = await openPortals(ctx, opts.allProfiles);
  const plans = await eachPortal(ctx, portals, async (session) =>
    planChanges(manifest.bindings, await getHandlers(session.client), opts.prune, session.caller),
  );
  return { manifest, portals, plans };
}

/** `plan`: what `apply` would add (and with --prune remove); exit 3 with --detailed-exitcode when not in sync. */
export async function runPlan(opts: PlanOptions, ctx: Context): Promise<void> {
  const { portals, plans } = await planPortals(ctx, opts);
  if (ctx.globals.json) printPortalsJson(ctx, plans, portals.several, planJson);
  else for (const result of plans) if (result.value) printPlan(ctx, result.value, headingFor(result, portals.several));
  throwIfPortalsFailed(plans);
  if (opts.detailedExitcode && plans.some((r) => r.value && !inSync(r.value))) throw new SilentError(ExitCode.changesPending);
}

/** Options `plan` and `apply` share. */
export function manifestOptions(command: Command): Command {
  return command
    .option('-f, --file <path>', `manifest file, JSON or YAML (default: ${DEFAULT_MANIFEST})`)
    .option('--prune', 'also remove bindings the manifest does not list')
    .option('--all-profiles', 'every saved profile (or give --profile several times)');
}

export function planCommand(ctx: Context, run = runPlan): Command {
  const command = manifestOptions(new Command('plan').description('Show what `apply` would change to make the portal match a manifest'))
    .option('--detailed-exitcode', 'exit 3 when changes are pending (0 = in sync), for CI drift checks')
    .addHelpText(
      'after',
      examples(
        'b24-events plan -f b24-events.json',
        'b24-events plan -f bindings.yaml --prune --detailed-exitcode   # CI: 3 = drift',
        'b24-events plan -f b24-events.json --profile staging --profile prod',
        'b24-events plan -f b24-events.json --all-profiles --json',
      ),
    );
  return withOptions(command, planOptionsSchema, (opts) => run(opts, ctx));
}

export function register(program: Command, ctx: Context): void {
  attach(program, planCommand(ctx));
}

