import { Command } from 'commander';
import { z } from 'zod';
import { bindHandler } from '../../api/events.js';
import type { Context } from '../../context.js';
import { CliError, ExitCode, UsageError } from '../../errors.js';
import { attach, examples, withOptions } from '../shared/options.js';
import { checkHandlerUrl, normalizeEventName, unreachableWarning } from '../../bindings/validate.js';
import { bindingView, describeBinding } from '../shared/binding-view.js';
import { explainUnknownEvent } from '../shared/event-hints.js';

export const bindOptionsSchema = z.object({
  event: z.string(),
  handlerUrl: z.string().trim().optional(),
  offline: z.boolean().default(false),
  connector: z.string().trim().min(1, 'must not be empty').optional(),
  authType: z.string().trim().regex(/^\d+$/, 'must be a user id (a whole number)').transform(Number).optional(),
  minTimeout: z.string().trim().regex(/^\d+$/, 'must be a whole number of seconds').transform(Number).optional(),
  strict: z.boolean().default(false),
});
export type BindOptions = z.infer<typeof bindOptionsSchema>;

/** `bind`: register a handler; a duplicate is "already bound" (exit 0) unless --strict. */
export async function runBind(opts: BindOptions, ctx: Context): Promise<void> {
  const request = toBindRequest(opts);
  const client = await ctx.client();
  const warning = request.handler ? unreachableWarning(request.handler, client.portal) : undefined;
  if (warning) ctx.printer.warn(warning);
  const outcome = await bindHandler(client, request).catch(async (error: unknown) => {
    throw await explainUnknownEvent(client, error, request.event);
  });
  const view = { ...bindingView(request), status: outcome };
  if (outcome === 'already-bound' && opts.strict) {
    throw new CliError(`${describeBinding(request)} is already bound`, ExitCode.failure, { hint: 'drop --strict to treat this as success' });
  }
  if (ctx.globals.json) return ctx.printer.printJson(view);
  if (outcome === 'bound') ctx.printer.success(`Bound ${describeBinding(request)}`);
  else ctx.printer.note(`${describeBinding(request)} is already bound; nothing changed`);
}

function toBindRequest(opts: BindOptions) {
  const event = normalizeEventName(opts.event);
  if (opts.offline && opts.handlerUrl)
    throw new UsageError('--offline takes no handler URL', { hint: 'offline bindings queue events instead of POSTing them' });
  if (!opts.offline && !opts.handlerUrl) {
    throw new UsageError('missing handler URL', { hint: 'pass one (b24-events bind EVENT https://…) or use --offline for the offline queue' });
  }
  if (opts.offline && opts.authType !== undefined) throw new UsageError('--auth-type applies to online handlers only');
  if (!opts.offline && opts.connector !== undefined) {
    // the portal would store a second online binding that `handlers` and a manifest cannot tell apart
    throw new UsageError('--connector applies to offline subscriptions only', {
      hint: "add --offline to subscribe a connector's queue; online handlers take no connector",
    });
  }
  if (opts.offline && event === 'ONOFFLINEEVENT') {
    throw new UsageError('ONOFFLINEEVENT cannot be bound offline', { hint: 'bind it online to a URL; it signals that the offline queue has new records' });
  }
  if (opts.minTimeout !== undefined && event !== 'ONOFFLINEEVENT') {
    throw new UsageError('--min-timeout applies only to ONOFFLINEEVENT', { hint: 'it throttles the "queue changed" notification' });
  }
  if (opts.handlerUrl) checkHandlerUrl(opts.handlerUrl);
  return {
    event,
    handler: opts.handlerUrl,
    offline: opts.offline,
    authType: opts.authType,
    connector: opts.connector,
    options: opts.minTimeout !== undefined ? { minTimeout: opts.minTimeout } : undefined,
  };
}

export function bindCommand(ctx: Context, run = runBind): Command {
  const command = new Command('bind')
    .description('Bind a handler URL to an event, or subscribe the offline queue to it (--offline)')
    .argument('<event>', 'event code, e.g. ONCRMDEALADD (case-insensitive)')
    .argument('[handler-url]', 'URL the portal POSTs events to (omit with --offline)')
    .option('--offline', 'queue the event in the offline queue instead of POSTing it (administrator only)')
    .option('--connector <id>', 'with --offline: the queue of this connector (auth_connector; needs rest_auth_connector)')
    .option('--auth-type <user-id>', 'user whose tokens the handler receives (0 = the triggering user; other users need an administrator)')
    .option('--min-timeout <seconds>', 'ONOFFLINEEVENT only: at most one notification per this many seconds')
    .option('--strict', 'fail (exit 1) when the handler is already bound')
    .addHelpText(
      'after',
      examples(
        'b24-events bind ONCRMDEALADD https://hooks.example.com/b24/deal',
        'b24-events bind ONTASKUPDATE https://hooks.example.com/b24 --auth-type 1',
        'b24-events bind ONCRMDEALUPDATE --offline',
        'b24-events bind ONOFFLINEEVENT https://hooks.example.com/b24/queue --min-timeout 30',
        'b24-events bind ONCRMLEADADD https://hooks.example.com/lead --json',
      ),
    );
  return withOptions(command, bindOptionsSchema, (opts) => run(opts, ctx));
}

export function register(program: Command, ctx: Context): void {
  attach(program, bindCommand(ctx));
}
