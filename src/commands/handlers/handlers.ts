import { Command } from 'commander';
import { z } from 'zod';
import { getHandlers } from '../../api/events.js';
import type { Context } from '../../context.js';
import { printHandlers } from '../shared/handlers-view.js';
import { attach, examples, withOptions } from '../shared/options.js';
import { normalizeEventName } from '../../bindings/validate.js';

export const handlersOptionsSchema = z.object({
  event: z.string().optional(),
  handler: z.string().optional(),
});
export type HandlersOptions = z.infer<typeof handlersOptionsSchema>;

/** `handlers`: this application's registered handlers (`event.get`), optionally filtered. */
export async function runHandlers(opts: HandlersOptions, ctx: Context): Promise<void> {
  const event = opts.event ? normalizeEventName(opts.event) : undefined;
  const rows = (await getHandlers(await ctx.client())).filter(
    (h) => (!event || h.event.toUpperCase() === event) && (!opts.handler || h.handler === opts.handler),
  );
  await printHandlers(ctx, rows, 'No handlers are bound' + (event || opts.handler ? ' that match the filter' : ''));
}

export function handlersCommand(ctx: Context, run = runHandlers): Command {
  const command = new Command('handlers')
    .alias('list')
    .description("List the application's registered handlers (event.get); administrators see every user's")
    .option('--event <name>', 'only this event (case-insensitive)')
    .option('--handler <url>', 'only this handler URL (exact match)')
    .addHelpText(
      'after',
      examples(
        'b24-events handlers',
        'b24-events handlers --event ONCRMDEALADD',
        "b24-events handlers --json | jq -r '.[] | select(.offline == 1) | .event'",
        'b24-events handlers | cut -f1 | sort -u     # piped output is tab-separated',
      ),
    );
  return withOptions(command, handlersOptionsSchema, (opts) => run(opts, ctx));
}

export function register(program: Command, ctx: Context): void {
  attach(program, handlersCommand(ctx));
}
