import { Command } from 'commander';
import { z } from 'zod';
import { testEvent } from '../../api/events.js';
import { isSandboxPortal, triggerSandboxEvent } from '../../api/sandbox-control.js';
import { normalizeEventName } from '../../bindings/validate.js';
import { transportFor } from '../../config/session-factory.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { count } from '../../output/plural.js';
import { attach, examples, withOptions } from '../shared/options.js';
import { eventData } from './event-data.js';
import { fixtureOf, fixtures } from './fixtures.js';
import { targetUrl } from '../shared/target-url.js';
import { triggerHandler } from './to-handler.js';

export const triggerOptionsSchema = z.object({
  event: z.string().optional(),
  to: z.string().trim().min(1, 'must not be empty').optional(),
  data: z.array(z.string()).default([]),
  dataFile: z.string().optional(),
  asWebhook: z.boolean().default(false),
  withAuth: z.boolean().default(false),
  forgedToken: z.boolean().default(false),
  list: z.boolean().default(false),
});
export type TriggerOptions = z.infer<typeof triggerOptionsSchema>;

/**
 * `trigger EVENT`: one delivery of EVENT, exactly as Bitrix24 sends it, to a handler (`--to`); on a
 * sandbox profile the sandbox raises it as a portal would; ONAPPTEST on a real portal is `event.test`.
 */
export async function runTrigger(opts: TriggerOptions, ctx: Context): Promise<void> {
  if (opts.list) return listFixtures(ctx);
  if (!opts.event) throw new UsageError('missing event', { hint: 'b24-events trigger EVENT --to URL; `b24-events trigger --list` shows the shipped ones' });
  const event = normalizeEventName(opts.event);
  const fixture = fixtureOf(event);
  if (!fixture && opts.dataFile === undefined && opts.data.length === 0)
    ctx.printer.warn(`no shipped data for ${event}: its data is empty (give it with --data or --data-file)`);
  const data = eventData(fixture?.data ?? {}, opts.dataFile, opts.data);
  if (opts.to) {
    const timeoutMs = (ctx.globals.timeout ?? 30) * 1000;
    const request = {
      event,
      data,
      auth: fixture?.auth ?? 'app',
      url: targetUrl(opts.to),
      asWebhook: opts.asWebhook,
      withAuth: opts.withAuth,
      forgedToken: opts.forgedToken,
      timeoutMs,
    };
    return triggerHandler(ctx, request);
  }
  if (opts.asWebhook || opts.withAuth || opts.forgedToken)
    throw new UsageError('--as-webhook, --with-auth and --forged-token shape a delivery: they go with --to URL');
  return triggerOnPortal(ctx, event, data);
}

/** Without --to: the sandbox raises the event itself; a real portal only runs its own round trip, ONAPPTEST. */
async function triggerOnPortal(ctx: Context, event: string, data: unknown): Promise<void> {
  const client = await ctx.client();
  const { profile } = await ctx.credentialSource();
  if (event !== 'ONAPPTEST' && (profile.sandbox || (await isSandboxPortal(client.portal, transportFor(ctx))))) {
    const done = await triggerSandboxEvent(client.portal, { event, data, userId: profile.userId ?? 1 }, transportFor(ctx));
    if (ctx.globals.json) return ctx.printer.printJson({ event, portal: client.portal, ...done });
    return ctx.printer.success(
      `The sandbox raised ${event}: ${count(done.queued, 'queue record')} written, ${count(done.posted, 'online delivery', 'online deliveries')} sent`,
    );
  }
  if (event !== 'ONAPPTEST') {
    throw new UsageError(`a real portal raises ${event} itself when the data changes`, {
      hint: 'send one to your handler with --to URL, or run the portal’s own round trip: b24-events trigger ONAPPTEST',
    });
  }
  const query = typeof data === 'object' && data !== null ? ((data as { QUERY?: unknown }).QUERY ?? {}) : {};
  const result = await testEvent(client, query as Record<string, unknown>);
  if (ctx.globals.json) return ctx.printer.printJson({ event, portal: client.portal, result });
  ctx.printer.success("event.test: the portal sent ONAPPTEST to this application's ONAPPTEST handlers");
}

async function listFixtures(ctx: Context): Promise<void> {
  const rows = fixtures.map((f) => ({ event: f.event, auth: f.auth, data: f.data, doc: `api-reference/${f.doc}` }));
  if (ctx.globals.json) return ctx.printer.printJson(rows);
  await ctx.printer.printTable(
    [
      { header: 'EVENT', value: (r: (typeof rows)[number]) => r.event },
      { header: 'AUTH', value: (r) => (r.auth === 'tokenless' ? 'no user tokens' : r.auth === 'app+refresh' ? 'tokens + refresh_token' : 'tokens') },
      { header: 'DOCS (bitrix24/b24restdocs)', value: (r) => r.doc },
    ],
    rows,
  );
}

export function triggerCommand(ctx: Context, run = runTrigger): Command {
  const command = new Command('trigger')
    .description('Send an event exactly as Bitrix24 delivers it: to a local handler (--to), or raised by a sandbox')
    .argument('[event]', 'event code, e.g. ONCRMDEALADD')
    .option('--to <url>', 'POST the delivery to this handler (no scheme = http://; localhost is fine)')
    .option('--data <path=value>', 'set a field of the event data, e.g. FIELDS.ID=7405 (repeatable)', (value: string, previous: string[] = []) => [
      ...previous,
      value,
    ])
    .option('--data-file <file>', "the event data as JSON, instead of the shipped example's")
    .option('--as-webhook', "an outgoing webhook's delivery: the portal's identity, no user tokens")
    .option('--with-auth', "the profile's current access token in auth[] (refreshed as needed; never its refresh token)")
    .option('--forged-token', 'send a wrong application_token: exit 0 when the handler refuses it, 1 when it accepts it')
    .option('--list', 'list the events with shipped example data')
    .addHelpText(
      'after',
      `${examples(
        'b24-events trigger ONCRMDEALADD --to localhost:3000/b24 --data FIELDS.ID=7405',
        'b24-events trigger ONCRMDEALADD --to localhost:3000/b24 --forged-token   # the handler must refuse it',
        'b24-events --profile sandbox trigger ONCRMDEALUPDATE --data FIELDS.ID=7    # the sandbox raises it',
        'b24-events --profile prod trigger ONAPPTEST                                # event.test round trip',
        'b24-events trigger --list',
      )}
With a profile the delivery carries its domain, member_id and application_token; without one, realistic
demo values (tokens of the real length and shape). Exit 1 when the handler answers anything but 2xx.
`,
    );
  return withOptions(command, triggerOptionsSchema, (opts) => run(opts, ctx));
}

export function register(program: Command, ctx: Context): void {
  attach(program, triggerCommand(ctx));
}
