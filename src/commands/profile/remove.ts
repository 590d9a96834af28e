import { Command } from 'commander';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { ExitCode, SilentError, UsageError } from '../../errors.js';
import { confirmDestructive, examples, withOptions } from '../shared/options.js';

export const profileRemoveOptionsSchema = z.object({ name: z.string(), yes: z.boolean().default(false) });
export type ProfileRemoveOptions = z.infer<typeof profileRemoveOptionsSchema>;

/** `profile remove NAME`: forget a profile's credentials (asks first; --yes without a terminal). */
export async function runProfileRemove(opts: ProfileRemoveOptions, ctx: Context): Promise<void> {
  const store = await ctx.store();
  if (!store.getProfile(opts.name)) throw new UsageError(`profile "${opts.name}" does not exist`, { hint: 'see `b24-events profile list`' });
  const question = `Remove profile ${opts.name} and its stored tokens? (handlers on the portal stay bound)`;
  if (!(await confirmDestructive(ctx, question, opts.yes))) {
    ctx.printer.note('Cancelled; nothing changed');
    throw new SilentError(ExitCode.ok);
  }
  const { wasDefault, left } = await store.update((config) => {
    delete config.profiles[opts.name];
    const isDefault = config.defaultProfile === opts.name;
    if (isDefault) delete config.defaultProfile;
    return { wasDefault: isDefault, left: Object.keys(config.profiles) };
  });
  if (ctx.globals.json) return ctx.printer.printJson({ removed: opts.name, was_default: wasDefault });
  ctx.printer.success(`Removed profile ${opts.name}`);
  if (!wasDefault) return;
  if (left.length > 0) ctx.printer.note(`It was the default profile; choose another with \`b24-events profile use NAME\` (saved: ${left.join(', ')})`);
  else ctx.printer.note('It was the last profile; add one with `b24-events init` or `b24-events profile add`');
}

export function profileRemoveCommand(ctx: Context, run = runProfileRemove): Command {
  const command = new Command('remove')
    .alias('rm')
    .description('Remove a saved profile (the portal is not changed)')
    .argument('<name>', 'profile name')
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .addHelpText('after', examples('b24-events profile remove old-portal', 'b24-events profile remove ci --yes'));
  return withOptions(command, profileRemoveOptionsSchema, (opts) => run(opts, ctx));
}
