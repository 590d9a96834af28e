import { Command } from 'commander';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { examples, withOptions } from '../shared/options.js';

export const profileUseOptionsSchema = z.object({ name: z.string() });
export type ProfileUseOptions = z.infer<typeof profileUseOptionsSchema>;

/** `profile use NAME`: make a profile the default. */
export async function runProfileUse(opts: ProfileUseOptions, ctx: Context): Promise<void> {
  const store = await ctx.store();
  await store.update((config) => {
    if (!config.profiles[opts.name]) throw new UsageError(`profile "${opts.name}" does not exist`, { hint: 'see `b24-events profile list`' });
    config.defaultProfile = opts.name;
  });
  if (ctx.globals.json) return ctx.printer.printJson({ default: opts.name });
  ctx.printer.success(`Default profile is now ${opts.name}`);
}

export function profileUseCommand(ctx: Context, run = runProfileUse): Command {
  const command = new Command('use')
    .description('Make a profile the default')
    .argument('<name>', 'profile name')
    .addHelpText('after', examples('b24-events profile use production'));
  return withOptions(command, profileUseOptionsSchema, (opts) => run(opts, ctx));
}
