import { Command, Option } from 'commander';
import { z } from 'zod';
import { getHandlers, listEvents } from '../../api/events.js';
import { fetchPortalStatus, type PortalStatus } from '../../api/portal.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { holdListener, PERSIST_NAME, persistedListener, sessionListener, type Listener } from '../shared/listeners.js';
import { attach, withOptions } from '../shared/options.js';
import { targetUrl } from '../shared/target-url.js';
import { removedLine, removeListeners, runCleanup, CLEANUP_MS } from './cleanup.js';
import { listenHelp } from './help.js';
import { checkPortal, leftovers, listenersOn, subscribe } from './subscription.js';
import { manifestTargets, matchEvents, parseRewrite, type ListenTargets } from './targets.js';

const list = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((item) => item.trim())].filter(Boolean);

export const listenOptionsSchema = z.object({
  events: z.array(z.string()).default([]),
  file: z.string().trim().min(1, 'must name a manifest').optional(),
  rewrite: z.array(z.string()).default([]),
  forwardTo: z.string().trim().min(1, 'must not be empty').optional(),
  authTokens: z.boolean().default(true),
  retries: z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').max(20, 'is at most 20').default(5),
  handlerTimeout: z.coerce.number().positive('must be a positive number of seconds').default(30),
  giveUpAfter: z
    .string()
    .regex(/^\d+(\.\d+)?[smh]?$/, 'takes a duration: 90, 90s, 5m or 1h')
    .transform((text) => Number.parseFloat(text) * ({ s: 1, m: 60, h: 3600 }[text.slice(-1)] ?? 1) * 1000)
    .optional(),
  persist: z.string().regex(PERSIST_NAME, 'takes a name of letters, digits, _ and -').optional(),
  cleanup: z.union([z.literal(true), z.string().trim().min(1, 'must not be empty')]).optional(),
  sharedQueue: z.boolean().default(false),
});
export type ListenOptions = z.infer<typeof listenOptionsSchema>;

/** Combination rules, checked before any request. */
function checkOptions(opts: ListenOptions): void {
  if (opts.cleanup !== undefined) {
    const other = opts.events.length > 0 || opts.file || opts.forwardTo || opts.persist || opts.sharedQueue;
    if (other) throw new UsageError('--cleanup ends listeners; it takes no other listen options', { hint: 'b24-events listen --cleanup [NAME]' });
    return;
  }
  if (opts.file && opts.events.length > 0) throw new UsageError('pass --events or -f MANIFEST, not both');
  if (!opts.file && opts.events.length === 0) {
    throw new UsageError('no events to listen to', {
      hint: 'name events with --events ONCRMDEALADD,ONCRMDEAL*, or route a manifest with -f FILE --rewrite FROM=TO',
    });
  }
  if (opts.file && opts.rewrite.length === 0) {
    throw new UsageError('-f needs --rewrite FROM=TO', {
      hint: 'e.g. --rewrite https://hooks.example.com=http://localhost:3000: the listener never POSTs to production URLs',
    });
  }
  if (!opts.file && opts.rewrite.length > 0) throw new UsageError('--rewrite applies to -f MANIFEST');
  if (opts.file && opts.forwardTo) throw new UsageError('-f routes each event by the manifest; it cannot be combined with --forward-to');
  if (!opts.authTokens && !opts.file && !opts.forwardTo) throw new UsageError('--no-auth-tokens shapes a delivery: it goes with --forward-to or -f');
  if (opts.persist && opts.sharedQueue) throw new UsageError('--persist keeps a queue of its own; it cannot be combined with --shared-queue');
}

/**
 * `listen`: subscribes for the session (offline bindings under a connector of its own) and delivers
 * each queued event to the local handler exactly as an online delivery, or prints it; Ctrl-C settles
 * and unbinds. Bad input fails before anything is sent.
 */
export async function runListen(opts: ListenOptions, ctx: Context): Promise<void> {
  checkOptions(opts);
  if (opts.cleanup !== undefined) return runCleanup(ctx, opts.cleanup === true ? undefined : opts.cleanup);
  const rewrites = opts.rewrite.map(parseRewrite);
  const forwardTo = opts.forwardTo === undefined ? undefined : targetUrl(opts.forwardTo, '--forward-to');
  const manifest = opts.file ? await manifestTargets(opts.file, rewrites, ctx.env) : undefined;
  const client = await ctx.client();
  const status = await fetchPortalStatus(client);
  checkPortal(status, opts.sharedQueue);
  const events = matchEvents(manifest?.events ?? opts.events, await listEvents(client));
  const targets: ListenTargets = manifest ?? { events, routes: forwardTo ? new Map(events.map((event) => [event, [forwardTo]])) : undefined, skipped: [] };
  if (opts.sharedQueue) {
    ctx.printer.warn('--shared-queue: the listener reads the default offline queue, which every other consumer of it reads too: what it takes, they never see');
  }
  for (const skipped of targets.skipped) ctx.printer.note(`${skipped} is not listened to: only online bindings other than ONOFFLINEEVENT can be`);
  const listener = opts.sharedQueue ? undefined : opts.persist ? persistedListener(opts.persist) : sessionListener();
  const release = listener ? holdListener(listener) : () => true;
  try {
    await listenOn(ctx, opts, { ...targets, events }, listener, status);
  } finally {
    release();
  }
}

async function listenOn(ctx: Context, opts: ListenOptions, targets: ListenTargets, listener: Listener | undefined, status: PortalStatus): Promise<void> {
  const client = await ctx.client();
  const handlers = await getHandlers(client);
  // the bindings of listeners killed on this machine go first (they would only fill queues nobody reads)
  for (const entry of await removeListeners(client, leftovers(listenersOn(handlers)), AbortSignal.timeout(CLEANUP_MS))) {
    ctx.printer.note(`Removed the leftovers of a listener that did not stop cleanly: ${removedLine(entry)}`);
  }
  const subscription = await subscribe(client, listener, targets.events, handlers);
  const { deliverUntilStopped, stopListening } = await import('./deliver.js');
  let outcome: Awaited<ReturnType<typeof deliverUntilStopped>> | undefined;
  try {
    outcome = await deliverUntilStopped(ctx, opts, { targets, subscription, status });
  } finally {
    await stopListening(ctx, opts, subscription, outcome);
  }
}

export function listenCommand(ctx: Context, run = runListen): Command {
  const command = new Command('listen')
    .description('Receive the portal’s events on this machine: queued for this listener, delivered to a local handler as Bitrix24 would')
    .option('--events <names>', 'event names and * patterns, comma-separated (repeatable), e.g. ONCRMDEALADD,ONCRMDEAL*', list)
    .option('-f, --file <manifest>', "take the manifest's online bindings: each event goes to its own handler, rewritten by --rewrite")
    .option('--rewrite <from=to>', 'with -f: replace the handler URL prefix FROM by TO, e.g. https://hooks.example.com=localhost:3000 (repeatable)', list)
    .option('--forward-to <url>', 'POST every event to this handler (no scheme = http://); without a target, stdout gets one JSON line per event')
    .option('--no-auth-tokens', "the outgoing-webhook shape: the portal's identity and application_token, no access token")
    .option('--retries <n>', 'retries of a handler that is down or restarting, with back-off, before the event is flagged as failed', '5')
    .option('--handler-timeout <seconds>', 'per-delivery limit', '30')
    .option('--give-up-after <duration>', 'end with exit 1 when the portal stays unreachable this long (90, 90s, 5m, 1h; default: never)')
    .option('--persist <name>', 'keep the bindings after exit: events queue while you are away, and the next `listen --persist NAME` delivers them first')
    .addOption(new Option('--cleanup [name]', 'remove the leftovers of listeners killed on this machine (or end the persisted listener NAME), then exit'))
    .option('--shared-queue', 'use the default offline queue (plans without rest_auth_connector); it competes with its other consumers')
    .addHelpText('after', listenHelp);
  return withOptions(command, listenOptionsSchema, (opts) => run(opts, ctx));
}

export function register(program: Command, ctx: Context): void {
  attach(program, listenCommand(ctx));
}
