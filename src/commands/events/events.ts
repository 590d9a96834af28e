import { Command } from 'commander';
import { z } from 'zod';
import type { B24Client } from '../../api/client.js';
import { listEvents } from '../../api/events.js';
import { listScopes } from '../../api/portal.js';
import { saveEventNames } from '../../config/event-cache.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { attach, examples, withOptions } from '../shared/options.js';

export const eventsOptionsSchema = z.object({
  scope: z.string().trim().optional(),
  all: z.boolean().default(false),
  grep: z.string().optional(),
});
export type EventsOptions = z.infer<typeof eventsOptionsSchema>;

/** `events`: the event codes the application can bind (the `events` method). */
export async function runEvents(opts: EventsOptions, ctx: Context): Promise<void> {
  if (opts.all && opts.scope !== undefined)
    throw new UsageError('--all and --scope cannot be combined', { hint: 'the portal ignores FULL when SCOPE is given' });
  const client = await ctx.client();
  const names = await listEvents(client, { scope: opts.scope, full: opts.all });
  if (names.length === 0 && opts.scope) await assertKnownScope(client, opts.scope);
  // what this application can bind, for shell completion (a --scope listing may name ungranted events)
  if (opts.scope === undefined) saveEventNames((await ctx.store()).path, client.portal, names);
  const needle = opts.grep?.toUpperCase();
  const shown = needle ? names.filter((name) => name.toUpperCase().includes(needle)) : names;
  if (ctx.globals.json) return ctx.printer.printJson(shown);
  if (shown.length === 0) return ctx.printer.empty('No events match');
  ctx.printer.line(shown.join('\n'));
}

/** An empty answer for a scope the portal does not have is a typo, not "no events": say so. */
async function assertKnownScope(client: B24Client, scope: string): Promise<void> {
  const known = await listScopes(client, { full: true }).catch((): string[] => []);
  if (known.length === 0 || known.includes(scope.toLowerCase())) return;
  throw new UsageError(`this portal has no scope "${scope}"`, { hint: `scopes: ${known.join(', ')}` });
}

export function eventsCommand(ctx: Context, run = runEvents): Command {
  const command = new Command('events')
    .description("List bindable events: by default those of the application's scopes plus the global ones")
    .option('--scope <scope>', 'only this scope\'s events (even if not granted); "" = only global events')
    .option('--all', 'every event of every scope on the portal (FULL)')
    .option('--grep <text>', 'only names containing this text (case-insensitive)')
    .addHelpText('after', examples('b24-events events', 'b24-events events --scope crm --grep deal', 'b24-events events --all --json'));
  return withOptions(command, eventsOptionsSchema, (opts) => run(opts, ctx));
}

export function register(program: Command, ctx: Context): void {
  attach(program, eventsCommand(ctx));
}
