import { Command } from 'commander';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { ExitCode, SilentError, UsageError } from '../../errors.js';
import { applyPlan } from '../../manifest/apply.js';
import { inSync, type Plan } from '../../manifest/diff.js';
import { attach, confirmDestructive, examples, withOptions } from '../shared/options.js';
import { count } from '../../output/plural.js';
import { headingFor, printPortalsJson } from '../shared/plan-view.js';
import { describeBinding } from '../shared/binding-view.js';
import { eachPortal, portalLabel, throwIfPortalsFailed, type PortalResult } from '../shared/portals.js';
import { DEFAULT_MANIFEST, manifestOptions, planPortals, showPlans } from '../shared/planning.js';
import { appliedJson, printApplied, throwIfChangesFailed, type Applied } from './report.js';

export const applyOptionsSchema = z.object({
  file: z.string().min(1, 'must name a manifest file').default(DEFAULT_MANIFEST),
  prune: z.boolean().default(false),
  yes: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  detailedExitcode: z.boolean().default(false),
  allProfiles: z.boolean().default(false),
});
export type ApplyOptions = z.infer<typeof applyOptionsSchema>;

/**
 * `apply`: binds what the manifest lists and the portal lacks (and with --prune unbinds what it
 * does not list), in batches. Every portal is read and the removals confirmed before anything changes.
 */
export async function runApply(opts: ApplyOptions, ctx: Context): Promise<void> {
  if (opts.dryRun) return showPlans(ctx, opts);
  if (opts.detailedExitcode)
    throw new UsageError('--detailed-exitcode goes with --dry-run (or `plan`)', { hint: 'apply itself exits 0 once the portal matches the manifest' });
  const { portals, plans } = await planPortals(ctx, opts);
  await confirmRemovals(ctx, plans, opts.yes);
  const results = await applyAll(ctx, plans, portals.several);
  if (ctx.globals.json) printPortalsJson(ctx, results, portals.several, appliedJson);
  else for (const result of results) if (result.value) printApplied(ctx, result.value, headingFor(result, portals.several));
  throwIfPortalsFailed(results);
  throwIfChangesFailed(results.flatMap((r) => (r.value ? [r.value] : [])));
}

async function applyAll(ctx: Context, plans: PortalResult<Plan>[], several: boolean): Promise<PortalResult<Applied>[]> {
  const applied: PortalResult<Applied>[] = [];
  for (const result of plans) {
    if (result.error) {
      applied.push(result);
      continue;
    }
    const plan = result.value;
    const [outcome] = await eachPortal(ctx, { sessions: [result.session], several }, async (session) => ({
      plan,
      changes: inSync(plan) ? [] : await applyPlan(session.client, plan),
    }));
    if (outcome) applied.push(outcome);
  }
  return applied;
}

async function confirmRemovals(ctx: Context, plans: PortalResult<Plan>[], yes: boolean): Promise<void> {
  const removing = plans.filter((r) => r.value && r.value.remove.length > 0);
  if (removing.length === 0) return;
  const where = removing.map((r) => `${count(r.value?.remove.length ?? 0, 'binding')} from ${portalLabel(r.session)}`).join(', ');
  if (!yes && ctx.canPrompt) {
    // Show exactly what would go before asking.
    for (const r of removing) for (const binding of r.value?.remove ?? []) ctx.printer.note(`- ${describeBinding(binding)} (${portalLabel(r.session)})`);
  }
  if (!(await confirmDestructive(ctx, `Remove ${where} (not in the manifest)?`, yes))) {
    ctx.printer.note('Cancelled; nothing changed (no bindings were added either)');
    throw new SilentError(ExitCode.ok);
  }
}

export function applyCommand(ctx: Context, run = runApply): Command {
  const command = manifestOptions(new Command('apply').description('Make the portal match a manifest: bind what is missing (and with --prune unbind the rest)'))
    .option('-y, --yes', 'with --prune: do not ask before removing (required without a terminal)')
    .option('--dry-run', 'only show what would change (same as `plan`)')
    .addHelpText(
      'after',
      examples(
        'b24-events apply -f b24-events.json',
        'HOOKS_HOST=hooks.example.com b24-events apply -f b24-events.yaml --prune --yes',
        'b24-events apply -f b24-events.json --profile staging --profile prod',
        'b24-events apply -f b24-events.json --dry-run',
      ),
    );
  return withOptions(command, applyOptionsSchema, (opts) => run(opts, ctx));
}

export function register(program: Command, ctx: Context): void {
  attach(program, applyCommand(ctx));
}
