import { DEFAULT_RATE_LIMIT, parseRateLimit } from '../../api/pacer.js';
import type { PortalStatus } from '../../api/portal.js';
import type { Context } from '../../context.js';
import { CliError, ExitCode, SilentError } from '../../errors.js';
import { Poller, pollPlan, type PollPlan } from '../../offline/listen-queue.js';
import type { HandlerTokens } from '../../offline/sinks/forward.js';
import { listenerSink, recordSink } from '../../offline/sinks/listener.js';
import type { DrainHooks, Sink } from '../../offline/types.js';
import { writeFlushed } from '../../output/io.js';
import { count } from '../../output/plural.js';
import { jsonSafe } from '../../output/sanitize.js';
import { userAgent } from '../../version.js';
import { handlerTokens } from '../shared/handler-tokens.js';
import { describeListener } from '../shared/listeners.js';
import { CLEANUP_MS, removedLine, removeListeners, withSignal } from './cleanup.js';
import { duration, Link } from './link.js';
import type { ListenOptions } from './listen.js';
import { ListenOutput } from './output.js';
import { ListenSession, type SessionEnd } from './session.js';
import { unsubscribe, type Subscription } from './subscription.js';
import type { ListenTargets } from './targets.js';

export interface Listening {
  targets: ListenTargets;
  subscription: Subscription;
  status: PortalStatus;
}

/** Delivers (or prints) what the listener's queue receives until Ctrl-C, giving up, or a stopped sink. */
export async function deliverUntilStopped(ctx: Context, opts: ListenOptions, listening: Listening): Promise<SessionEnd> {
  const { targets, subscription } = listening;
  const output = new ListenOutput(ctx, { events: subscription.events.length, showUrl: routedByManifest(targets) });
  const sink = await createSink(ctx, opts, listening, output);
  let session: ListenSession | undefined = undefined;
  const link = new Link({
    now: () => ctx.now(),
    mono: () => performance.now(),
    note: (text) => ctx.printer.note(text),
    state: (text) => output.linkState(text),
    giveUpAfterMs: opts.giveUpAfter,
    jumped: (inFlight) => session?.jumped(inFlight),
    gaveUp: (reason) => session?.giveUp(reason),
  });
  const own = subscription.listener !== undefined;
  session = new ListenSession({
    client: await ctx.client(),
    connector: subscription.listener?.connector,
    ownQueue: own,
    // the shared queue holds others' events too: read only ours, event by event
    selections: own ? [{ errors: false }] : subscription.events.map((eventName) => ({ errors: false, eventName })),
    poller: new Poller(planFor(ctx)),
    link,
    signal: ctx.signal,
    hooks: hooksFor(ctx, subscription),
  });
  announce(ctx, listening);
  output.refresh();
  const stopClock = link.start();
  const unwatch = watchInterrupts(ctx, subscription);
  const release = targets.routes ? () => undefined : ctx.claimClosedStdout();
  try {
    return await session.run(sink);
  } finally {
    stopClock();
    unwatch();
    release();
    ctx.printer.status.clear();
  }
}

/** The listener's end: its bindings go (unless persisted), and the way it ended becomes the exit code. */
export async function stopListening(ctx: Context, opts: ListenOptions, subscription: Subscription, end: SessionEnd | undefined): Promise<void> {
  const { listener } = subscription;
  const signal = AbortSignal.timeout(CLEANUP_MS);
  try {
    if (listener?.persist !== undefined) {
      ctx.printer.note(
        `The ${describeListener(listener)} keeps its ${count(subscription.owned.length, 'binding')}: events queue until \`b24-events listen --persist ${listener.persist}\` (\`b24-events listen --cleanup ${listener.persist}\` ends it)`,
      );
    } else if (listener) {
      const [entry] = await removeListeners(await ctx.client(), [{ listener, events: subscription.owned }], signal);
      if (entry) ctx.printer.note(`Stopped ${removedLine(entry)}`);
    } else {
      const removed = await unsubscribe(withSignal(await ctx.client(), signal), subscription);
      const kept = subscription.events.filter((event) => !subscription.owned.includes(event));
      const others = kept.length > 0 ? `; ${kept.join(', ')} stayed bound as before` : '';
      ctx.printer.note(`Stopped: ${count(removed, 'binding')} of the default queue removed${others}`);
    }
  } catch (error) {
    ctx.printer.warn(
      `could not remove the listener's bindings (${ctx.redactor.text((error as Error).message)}): the next \`b24-events listen\` or \`b24-events listen --cleanup\` removes them`,
    );
  }
  if (!end) return;
  if (end.stopped === 'gave-up') {
    throw new CliError(`gave up after ${duration(opts.giveUpAfter ?? 0)} without the portal (${end.reason})`, ExitCode.failure, {
      hint: 'check the network and the portal, then start `b24-events listen` again',
    });
  }
  if (end.stopped === 'sink-stopped') throw new CliError(`stopped: ${end.reason}`, ExitCode.failure);
  throw new SilentError(ExitCode.interrupted);
}

async function createSink(ctx: Context, opts: ListenOptions, { targets, status }: Listening, output: ListenOutput): Promise<Sink> {
  const routes = targets.routes;
  if (!routes)
    return recordSink(
      (line) => writeFlushed(ctx.io.stdout, jsonSafe(line)),
      ctx.now,
      () => output.recorded(),
    );
  const source = await ctx.credentialSource();
  const { profile } = source;
  if (!profile.applicationToken) {
    ctx.printer.warn(
      'the profile has no application token, so deliveries carry no auth[application_token] and handlers that check it refuse them (`b24-events login --application-token TOKEN` stores it)',
    );
  }
  const facts = { scope: status.scopes?.join(','), userId: status.user.id ?? undefined };
  const tokens = opts.authTokens ? noticingRenewal(await handlerTokens(ctx, source, facts), (text) => ctx.printer.note(text)) : undefined;
  // a persisted listener's queue may still hold an event it no longer names: --forward-to takes it too
  const single = routedByManifest(targets) ? undefined : [...routes.values()][0];
  return listenerSink({
    routes: (event) => routes.get(event.EVENT_NAME.toUpperCase()) ?? single ?? [],
    identity: { portal: (await ctx.client()).portal, oauthServer: profile.oauthServer, memberId: profile.memberId, applicationToken: profile.applicationToken },
    tokens,
    timeoutMs: opts.handlerTimeout * 1000,
    userAgent,
    retries: opts.retries,
    backoffMs: (retry) => Math.min(4000, 250 * 2 ** (retry - 1)),
    signal: ctx.signal,
    now: () => ctx.now(),
    delivered: (report) => output.delivery(report),
    retrying: (url, reason, delayMs, retry) => output.retrying(url, reason, delayMs, retry, opts.retries),
  });
}

/** One target for every event (--forward-to) or the manifest's own per event. */
function routedByManifest(targets: ListenTargets): boolean {
  return targets.routes !== undefined && new Set([...targets.routes.values()].flat()).size > 1;
}

/** Within half the portal's budget (B24_RATE_LIMIT); B24_LISTEN_POLL_MS sets the fast interval itself (tests, a slow portal). */
function planFor(ctx: Context): PollPlan {
  const limit = parseRateLimit(ctx.env.B24_RATE_LIMIT);
  const override = Number(ctx.env.B24_LISTEN_POLL_MS);
  return pollPlan(limit ? limit.drainPerSec : DEFAULT_RATE_LIMIT.drainPerSec, override > 0 ? override : undefined);
}

function hooksFor(ctx: Context, subscription: Subscription): DrainHooks {
  return {
    notice(message) {
      // outages are the link's to report; taking over our own reserved batches is routine
      if (/; retrying in \d+s$/.test(message) || message.startsWith('resuming reserved')) return;
      ctx.printer.note(ctx.redactor.text(message));
    },
    probed({ unreserved }) {
      if (unreserved && subscription.listener?.persist !== undefined) {
        ctx.printer.note(`${count(unreserved, 'event')} waited in the queue of ${describeListener(subscription.listener)}: delivering them first`);
      }
    },
  };
}

/** Deliveries carry the profile's current token; say so when it was renewed. */
function noticingRenewal(tokens: HandlerTokens, note: (text: string) => void): HandlerTokens {
  let last: string | undefined;
  return async (ts) => {
    const current = await tokens(ts);
    if (last !== undefined && current.accessToken !== last) note('The access token expired and was renewed: deliveries carry the new one');
    last = current.accessToken;
    return current;
  };
}

function announce(ctx: Context, { targets, subscription }: Listening): void {
  const queue = subscription.listener ? `queue ${subscription.listener.connector}` : 'the default queue';
  const events = subscription.events.length > 6 ? count(subscription.events.length, 'event') : subscription.events.join(', ');
  const routes = targets.routes;
  const where = !routes
    ? ': one JSON line per event on stdout'
    : routedByManifest(targets)
      ? `: ${[...routes].map(([event, urls]) => `${event} → ${urls.join(', ')}`).join('; ')}`
      : ` → ${[...routes.values()][0]?.[0] ?? ''}`;
  ctx.printer.note(`Listening for ${events} (${queue})${where}; Ctrl-C to stop`);
}

function watchInterrupts(ctx: Context, subscription: Subscription): () => void {
  const onAbort = () => ctx.printer.note('Stopping: finishing the delivery in hand and settling it, then removing the bindings (Ctrl-C again stops at once)');
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const unregister = ctx.onHardStop(() => {
    if (subscription.listener?.persist !== undefined) return;
    ctx.printer.warn(
      "stopped at once: the listener's bindings stay on the portal; the next `b24-events listen` (or `b24-events listen --cleanup`) removes them",
    );
  });
  return () => {
    ctx.signal.removeEventListener('abort', onAbort);
    unregister();
  };
}
