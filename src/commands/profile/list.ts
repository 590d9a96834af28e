import { Command } from 'commander';
import type { Context } from '../../context.js';
import type { Column } from '../../output/table.js';
import { examples } from '../shared/options.js';
import { profileView, type ProfileView } from '../shared/profile-view.js';

const columns: Column<ProfileView>[] = [
  { header: 'NAME', value: (p) => p.name },
  { header: 'DEFAULT', value: (p) => (p.default ? '*' : '') },
  { header: 'PORTAL', value: (p) => p.portal },
  { header: 'CLIENT ID', value: (p) => p.client_id },
  { header: 'TOKEN EXPIRES', value: (p) => p.access_token_expires ?? '' },
];

/** `profile list`: saved profiles, secrets masked. */
export async function runProfileList(_opts: Record<string, never>, ctx: Context): Promise<void> {
  const config = (await ctx.store()).read();
  const rows = Object.entries(config.profiles).map(([name, profile]) => profileView(name, profile, name === config.defaultProfile));
  if (ctx.globals.json) return ctx.printer.printJson(rows);
  if (rows.length === 0) return ctx.printer.empty('No profiles yet; add one with `b24-events profile add` or `b24-events init`');
  await ctx.printer.printTable(columns, rows);
}

export function profileListCommand(ctx: Context, run = runProfileList): Command {
  return new Command('list')
    .alias('ls')
    .description('List saved profiles')
    .addHelpText('after', examples('b24-events profile list', 'b24-events profile list --json'))
    .action(async () => run({}, ctx));
}
