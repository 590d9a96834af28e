import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { Sink } from '../../offline/types.js';
import { userAgent } from '../../version.js';
import { normalizeEventName } from '../../bindings/validate.js';
import { handlerTokens } from '../shared/handler-tokens.js';
import type { DrainOptions } from './drain.js';

/** Page size: large pages cost fewer rate-limit slots; at-most-once keeps the loss window small. */
export const DEFAULT_BATCH = 1000;
export const DEFAULT_BATCH_AT_MOST_ONCE = 50;
/** --pipe: events written to the handler and not yet acknowledged, at most. */
export const PIPE_WINDOW = 500;

export type SinkKind = 'stdout' | 'exec' | 'forward' | 'pipe';

/** --follow takes over batches reserved this long without being settled: well above any handler's time. */
export const DEFAULT_RECLAIM_AFTER = '10m';

export interface CheckedDrainOptions {
  sink: SinkKind;
  eventName: string | undefined;
  resume: { processId?: string } | undefined;
  /** --follow: take over batches nobody settled for this long; undefined: never */
  reclaimAfterMs: number | undefined;
}

/** Combination rules, checked before any request so bad input changes nothing. */
export function checkDrainOptions(opts: DrainOptions): CheckedDrainOptions {
  const chosen = [opts.exec && '--exec', opts.pipe && '--pipe', opts.forwardTo && '--forward-to'].filter(Boolean);
  if (chosen.length > 1) throw new UsageError(`pass one of --exec, --pipe and --forward-to, not ${chosen.join(' and ')}`);
  const sink: SinkKind = opts.exec ? 'exec' : opts.pipe ? 'pipe' : opts.forwardTo ? 'forward' : 'stdout';
  if ((sink === 'stdout' || sink === 'pipe') && opts.concurrency > 1) {
    const hint =
      sink === 'pipe' ? `--pipe keeps up to ${PIPE_WINDOW} events in flight and takes the answers in any order` : 'stdout receives the events in queue order';
    throw new UsageError('--concurrency applies to --exec and --forward-to', { hint });
  }
  if (opts.atMostOnce && opts.resume !== undefined) {
    throw new UsageError('--resume re-reads a reserved batch with clear=0; it cannot be combined with --at-most-once');
  }
  if (opts.forwardTo) checkForwardUrl(opts.forwardTo);
  if (opts.withAuth && !opts.forwardTo) throw new UsageError('--with-auth applies to --forward-to', { hint: 'add --forward-to URL' });
  if (opts.resume !== undefined && opts.event) {
    // Reserved batches are taken whole; filtering them would hand other events to an event-specific sink.
    throw new UsageError('--resume takes reserved batches whole; it cannot be combined with --event', { hint: 'resume first, then drain with --event' });
  }
  const resume = opts.resume === undefined ? undefined : opts.resume === true ? {} : { processId: opts.resume };
  return { sink, eventName: opts.event ? normalizeEventName(opts.event) : undefined, resume, reclaimAfterMs: reclaimAfter(opts) };
}

function reclaimAfter(opts: DrainOptions): number | undefined {
  const asked = opts.reclaimAfter !== undefined;
  const conflict = !opts.follow ? '--follow' : opts.event ? '--event' : opts.atMostOnce ? '--at-most-once' : undefined;
  if (conflict === '--follow') {
    if (asked) throw new UsageError('--reclaim-after applies to --follow', { hint: 'add --follow' });
    return undefined;
  }
  if (conflict) {
    // a reserved batch is taken whole (other events for an --event sink); at most once reserves nothing
    if (asked) throw new UsageError(`--reclaim-after cannot be combined with ${conflict}`);
    return undefined;
  }
  return parseDuration(opts.reclaimAfter ?? DEFAULT_RECLAIM_AFTER, '--reclaim-after');
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `90s`, `10m`, `1h`, `1h30m`: a duration in ms; anything else is a usage error. */
export function parseDuration(text: string, flag: string): number {
  const compact = text.trim().toLowerCase().replace(/\s+/g, '');
  const parts = [...compact.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  const ms = parts.reduce((sum, [, value, unit]) => sum + Number(value) * (UNIT_MS[unit ?? ''] ?? 0), 0);
  if (parts.length === 0 || parts.map(([part]) => part).join('') !== compact || !(ms > 0)) {
    throw new UsageError(`${flag}: "${text}" is not a duration`, { hint: 'write it like 90s, 10m or 1h' });
  }
  return ms;
}

function checkForwardUrl(text: string): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--forward-to: "${text}" is not a URL`, { hint: 'pass an absolute URL like https://hooks.example.com/b24' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('--forward-to: the URL must use http or https');
}

/** The sink the options ask for (only its module is loaded); forwarding carries the profile's portal identity. */
export async function createSink(kind: SinkKind, opts: DrainOptions, ctx: Context): Promise<Sink> {
  const timeoutMs = opts.handlerTimeout * 1000;
  const concurrency = opts.concurrency;
  const output = (chunk: Buffer | string) => ctx.printer.status.above(chunk);
  if (kind === 'stdout') return (await import('../../offline/sinks/stdout.js')).stdoutSink(ctx.io.stdout);
  if (kind === 'exec' || kind === 'pipe') {
    const { commandEnv, execSink } = await import('../../offline/sinks/exec.js');
    const env = commandEnv(ctx.env);
    if (kind === 'exec') return execSink({ command: opts.exec ?? '', concurrency, timeoutMs, env, output });
    const { pipeSink } = await import('../../offline/sinks/pipe.js');
    return pipeSink({ command: opts.pipe ?? '', window: PIPE_WINDOW, timeoutMs, env, output });
  }
  const { forwardSink } = await import('../../offline/sinks/forward.js');
  const source = await ctx.credentialSource();
  const { profile } = source;
  if (!profile.applicationToken) {
    ctx.printer.warn(
      "the profile has no application token, so forwarded events carry no auth[application_token]: handlers that check it will refuse them (store it with `b24-events login --application-token TOKEN`, from any delivery's auth[application_token], or set B24_APPLICATION_TOKEN)",
    );
  }
  return forwardSink({
    url: opts.forwardTo ?? '',
    concurrency,
    timeoutMs,
    identity: { portal: profile.portal, oauthServer: profile.oauthServer, memberId: profile.memberId, applicationToken: profile.applicationToken },
    tokens: opts.withAuth ? await handlerTokens(ctx, source) : undefined,
    userAgent,
  });
}
