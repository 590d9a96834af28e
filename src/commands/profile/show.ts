import { Command } from 'commander';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { examples, withOptions } from '../shared/options.js';
import { profileView } from '../shared/profile-view.js';

export const profileShowOptionsSchema = z.object({ name: z.string().optional() });
export type ProfileShowOptions = z.infer<typeof profileShowOptionsSchema>;

/** `profile show [name]`: one profile (default: the one commands would use), secrets masked. */
export async function runProfileShow(opts: ProfileShowOptions, ctx: Context): Promise<void> {
  const store = await ctx.store();
  const config = store.read();
  const name = opts.name ?? ctx.globals.profile ?? ctx.env.B24_PROFILE ?? config.defaultProfile;
  if (!name) throw new UsageError('no profile named and no default profile', { hint: 'b24-events profile show NAME; see `b24-events profile list`' });
  const profile = config.profiles[name];
  if (!profile) throw new UsageError(`profile "${name}" does not exist`, { hint: 'see `b24-events profile list`' });
  const view = { ...profileView(name, profile, name === config.defaultProfile), config_file: store.path };
  if (ctx.globals.json) return ctx.printer.printJson(view);
  const width = Math.max(...Object.keys(view).map((key) => key.length));
  ctx.printer.line(
    Object.entries(view)
      .map(([key, value]) => `${key.padEnd(width)}  ${value ?? ''}`)
      .join('\n'),
  );
}

export function profileShowCommand(ctx: Context, run = runProfileShow): Command {
  const command = new Command('show')
    .description('Show a profile with its secrets masked (default: the profile in use)')
    .argument('[name]', 'profile name')
    .addHelpText('after', examples('b24-events profile show', 'b24-events profile show staging --json'));
  return withOptions(command, profileShowOptionsSchema, (opts) => run(opts, ctx));
}
