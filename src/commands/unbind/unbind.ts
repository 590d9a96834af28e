import { Command } from 'commander';
import { z } from 'zod';
import { unbindHandler } from '../../api/events.js';
import type { Context } from '../../context.js';
import { CliError, ExitCode, UsageError } from '../../errors.js';
import { attach, examples, withOptions } from '../shared/options.js';
import { normalizeEventName } from '../../bindings/validate.js';
import { bindingView, describeBinding } from '../shared/binding-view.js';
import { runUnbindEverywhere } from './everywhere.js';
import { nearlyBoundUrl } from '../shared/event-hints.js';
import { count } from '../../output/plural.js';

export const unbindOptionsSchema = z.object({
  event: z.string().optional(),
  handlerUrl: z.string().trim().optional(),
  offline: z.boolean().default(false),
  connector: z.string().trim().min(1, 'must not be empty').optional(),
  authType: z.string().trim().regex(/^\d+$/, 'must be a user id (a whole number)').transform(Number).optional(),
  handler: z.string().optional(),
  allEvents: z.boolean().default(false),
  yes: z.boolean().default(false),
  strict: z.boolean().default(false),
});
export type UnbindOptions = z.infer<typeof unbindOptionsSchema>;

/** `unbind`: remove one event's handlers, or (`--handler URL` without an event) a URL from every event. */
export async function runUnbind(opts: UnbindOptions, ctx: Context): Promise<void> {
  if (opts.allEvents || (opts.handler && !opts.event)) return runUnbindEverywhere(everywhereRequest(opts), ctx);
  if (!opts.event) throw new UsageError('missing event', { hint: 'b24-events unbind EVENT URL, or --handler URL for every event' });
  if (opts.handler && opts.handlerUrl) throw new UsageError('give the handler URL once: as an argument or as --handler');
  const request = toUnbindRequest({ ...opts, event: opts.event, handlerUrl: opts.handlerUrl ?? opts.handler?.trim() });
  const client = await ctx.client();
  const removed = await unbindHandler(client, request);
  const near = removed === 0 && request.handler ? await nearlyBoundUrl(client, request.event, request.handler) : undefined;
  const hint = near ? `bound is ${near} (URLs must match exactly)` : 'URLs must match exactly (a trailing slash matters); see `b24-events handlers`';
  if (removed === 0 && opts.strict) throw new CliError(`no handler matched ${describeBinding(request)}`, ExitCode.failure, { hint });
  if (ctx.globals.json) return ctx.printer.printJson({ ...bindingView(request), removed });
  if (removed > 0) ctx.printer.success(`Removed ${count(removed, 'handler')}: ${describeBinding(request)}`);
  else ctx.printer.note(`No handler matched ${describeBinding(request)}; nothing changed — ${hint}`);
}

function toUnbindRequest(opts: UnbindOptions & { event: string }) {
  if (opts.offline && opts.handlerUrl) throw new UsageError('--offline takes no handler URL');
  if (!opts.offline && !opts.handlerUrl) {
    throw new UsageError('missing handler URL', { hint: 'pass the URL exactly as bound (see `b24-events handlers`), or --offline' });
  }
  if (opts.offline && opts.authType !== undefined) throw new UsageError('--auth-type applies to online handlers only');
  if (!opts.offline && opts.connector) {
    // The portal applies no connector filter to online unbinds: the flag would remove every connector's handler.
    throw new UsageError('--connector applies to offline subscriptions only', {
      hint: 'an online unbind removes the URL for every connector; drop --connector, or add --offline',
    });
  }
  return {
    event: normalizeEventName(opts.event),
    handler: opts.handlerUrl,
    offline: opts.offline,
    authType: opts.authType,
    connector: opts.connector,
  };
}

function everywhereRequest(opts: UnbindOptions) {
  if (!opts.handler) throw new UsageError('--all-events needs --handler URL');
  if (opts.event || opts.handlerUrl || opts.offline) {
    throw new UsageError('--all-events takes no event, handler argument or --offline', { hint: 'b24-events unbind --handler URL (every event)' });
  }
  return { handler: opts.handler, yes: opts.yes, strict: opts.strict };
}

export function unbindCommand(ctx: Context, run = runUnbind): Command {
  const command = new Command('unbind')
    .description('Remove handlers from an event, or a handler URL from every event (--handler URL)')
    .argument('[event]', 'event code, e.g. ONCRMDEALADD')
    .argument('[handler-url]', 'the handler URL, exactly as bound')
    .option('--offline', "remove the event's offline-queue subscription")
    .option('--connector <id>', 'offline queue connector (auth_connector)')
    .option('--auth-type <user-id>', 'only the handler bound for this user (default: every user; administrators only)')
    .option('--handler <url>', 'without an event: remove this URL from every event it is bound to (asks first)')
    .option('--all-events', 'the same, said explicitly (with --handler)')
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .option('--strict', 'fail (exit 1) when nothing matched')
    .addHelpText(
      'after',
      examples(
        'b24-events unbind ONCRMDEALADD https://hooks.example.com/b24/deal',
        'b24-events unbind ONCRMDEALUPDATE --offline',
        'b24-events unbind --handler https://old.example.com/b24         # every event (asks first)',
        'b24-events unbind --handler https://old.example.com/b24 --yes   # the same in CI',
      ),
    );
  return withOptions(command, unbindOptionsSchema, (opts) => run(opts, ctx));
}

export function register(program: Command, ctx: Context): void {
  attach(program, unbindCommand(ctx));
}
