import { Command } from 'commander';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { attach, examples, withOptions } from '../shared/options.js';
import { DEFAULT_MANIFEST, manifestOptions, showPlans } from '../shared/planning.js';

export const planOptionsSchema = z.object({
  file: z.string().min(1, 'must name a manifest file').default(DEFAULT_MANIFEST),
  prune: z.boolean().default(false),
  detailedExitcode: z.boolean().default(false),
  allProfiles: z.boolean().default(false),
});
export type PlanOptions = z.infer<typeof planOptionsSchema>;

/** `plan`: what `apply` would add (and with --prune remove); exit 3 with --detailed-exitcode when not in sync. */
export async function runPlan(opts: PlanOptions, ctx: Context): Promise<void> {
  await showPlans(ctx, opts);
}

export function planCommand(ctx: Context, run = runPlan): Command {
  const command = manifestOptions(new Command('plan').description('Show what `apply` would change to make the portal match a manifest')).addHelpText(
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
