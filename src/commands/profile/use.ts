import { Command } from 'commander';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { examples } from '../shared/options.js';

/** `profile use NAME`: make a profile the default. */
export async function runProfileUse(opts: { name: string }, ctx: Context): Promise<void> {
  const store = await ctx.store();
  await store.update((config) => {
    if (!config.profiles[opts.name]) throw new UsageError(`profile "${opts.name}" does not exist`, { hint: 'see `b24-events profile list`' });
    config.defaultProfile = opts.name;
  });
  if (ctx.globals.json) return ctx.printer.printJson({ default: opts.name });
  ctx.printer.success(`Default profile is now ${opts.name}`);
}

export function profileUseCommand(ctx: Context, run = runProfileUse): Command {
  return new Command('use')
    .description('Make a profile the default')
    .argument('<name>', 'profile name')
    .addHelpText('after', examples('b24-events profile use production'))
    .action(async (name: string) => run({ name }, ctx));
}
