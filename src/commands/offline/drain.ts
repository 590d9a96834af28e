import { Command, Option } from 'commander';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { ExitCode, SilentError } from '../../errors.js';
import { collectGarbage } from '../../memory.js';
import type { DrainResult, Sink } from '../../offline/types.js';
import { withOptions } from '../shared/options.js';
import { drainHelp } from './drain-help.js';
import { checkDrainOptions, createSink, DEFAULT_BATCH, DEFAULT_BATCH_AT_MOST_ONCE, DEFAULT_RECLAIM_AFTER } from './drain-setup.js';
import { DrainReporter } from './drain-report.js';
import { claimWorker, stateSaver, WORKER_NAME } from './drain-worker.js';
import { connectorHelp, connectorSchema, explainLicense } from './shared.js';

const count = (what: string) => z.coerce.number().int(`${what} must be a whole number`).min(1, `${what} must be at least 1`);

export const drainOptionsSchema = z.object({
  batch: count('the page size').max(1000, 'the page size is at most 1000').optional(),
  max: count('the event count').optional(),
  event: z.string().trim().min(1, 'must name an event').optional(),
  connector: connectorSchema,
  errors: z.boolean().default(false),
  exec: z.string().trim().min(1, 'must not be empty').optional(),
  pipe: z.string().trim().min(1, 'must not be empty').optional(),
  forwardTo: z.string().optional(),
  withAuth: z.boolean().default(false),
  concurrency: count('concurrency').max(64, 'concurrency is at most 64').default(1),
  handlerTimeout: z.coerce.number().positive('must be a positive number of seconds').default(30),
  follow: z.boolean().default(false),
  atMostOnce: z.boolean().default(false),
  reclaimAfter: z.string().optional(),
  worker: z.string().trim().regex(WORKER_NAME, 'letters, digits, ".", "-" and "_", at most 64, starting with a letter or digit').optional(),
  resume: z.union([z.literal(true), z.string().trim().min(1, 'must not be empty (an empty process id acts on the whole queue)')]).optional(),
});
export type DrainOptions = z.infer<typeof drainOptionsSchema>;

/** `offline drain`: the lossless loop of src/offline with a sink chosen by flags, progress and a summary. */
export async function runDrain(opts: DrainOptions, ctx: Context): Promise<void> {
  const checked = checkDrainOptions(opts);
  const client = await ctx.client();
  // the engine and the chosen sink load only now: `drain --help` and bad flags never pay for them
  const [{ createDrainStats, drainQueue }, { OfflineQueue }] = await Promise.all([import('../../offline/engine.js'), import('../../offline/queue.js')]);
  if (opts.atMostOnce) {
    ctx.printer.warn('--at-most-once: the portal deletes each page as it returns it (clear=1); events in hand are lost if this run fails or is killed');
  }
  const stats = createDrainStats(ctx.now());
  const worker = await claimWorker(opts, ctx, checked.eventName);
  const reporter = new DrainReporter(ctx, stats, {
    sinkIsStdout: checked.sink === 'stdout',
    atMostOnce: opts.atMostOnce,
    errorRows: opts.errors,
    eventName: checked.eventName,
    worker: worker?.name,
    resumesOwn: (worker?.left.length ?? 0) > 0,
  });
  let sink: Sink;
  try {
    sink = await createSink(checked.sink, opts, ctx);
  } catch (error) {
    worker?.release();
    throw error;
  }
  // Confirming what was handled must still go out after Ctrl-C; only a second Ctrl-C stops it.
  const queue = new OfflineQueue(client, opts.connector, new AbortController().signal);
  const requestsBefore = client.requestCount;
  const release = checked.sink === 'stdout' ? ctx.claimClosedStdout() : () => {};
  const watch = reporter.watchInterrupts();
  let result: DrainResult;
  try {
    result = await drainQueue(
      queue,
      sink,
      {
        selection: { errors: opts.errors, eventName: checked.eventName },
        batchSize: opts.batch ?? (opts.atMostOnce ? DEFAULT_BATCH_AT_MOST_ONCE : DEFAULT_BATCH),
        max: opts.max,
        follow: opts.follow,
        atMostOnce: opts.atMostOnce,
        resume: checked.resume,
        own: worker?.left,
        reclaim: checked.reclaimAfterMs === undefined ? undefined : { afterMs: checked.reclaimAfterMs, now: () => ctx.now() },
        signal: ctx.signal,
        // a plain drain asks, in its first request, whether earlier drains left records reserved
        probes: { unreserved: ctx.io.stderrIsTTY, reserved: !checked.resume && !opts.atMostOnce },
      },
      { ...reporter.hooks(), holding: stateSaver(worker, ctx), handled: collectGarbage },
      stats,
    );
  } catch (error) {
    reporter.finish({ stats, stopped: 'error' }, client.requestCount - requestsBefore);
    throw explainLicense(error, stats.pages === 0);
  } finally {
    watch();
    release();
    await closeQuietly(sink);
    worker?.release();
  }
  reporter.finish(result, client.requestCount - requestsBefore);
  if (result.stopped === 'interrupted') throw new SilentError(ExitCode.interrupted);
  const { failed, leftReserved, lost, uncertainReservations } = result.stats;
  // A read whose reply was lost may have reserved (or, at most once, deleted) records nobody handled.
  if (failed > 0 || lost > 0 || leftReserved.size > 0 || uncertainReservations > 0) throw new SilentError(ExitCode.failure);
}

async function closeQuietly(sink: Sink): Promise<void> {
  await sink.close().catch(() => undefined);
}

export function drainCommand(ctx: Context, run = runDrain): Command {
  const command = new Command('drain')
    .description('Read the offline queue without losing events: hand each event to a sink, then confirm it')
    .option('--pipe <cmd>', 'stream events to one long-running CMD as NDJSON; it acknowledges each (see below)')
    .option('--exec <cmd>', 'run CMD per event, the event JSON on stdin (exit 0 = handled)')
    .option('--forward-to <url>', 'POST each event to URL like an online delivery (2xx = handled)')
    .option('--with-auth', "with --forward-to: include the profile's access token in auth[] like an app delivery")
    .option('--batch <n>', `records per page (default ${DEFAULT_BATCH}; ${DEFAULT_BATCH_AT_MOST_ONCE} with --at-most-once; at most 1000)`)
    .option('--max <n>', 'stop after N events')
    .option('--event <name>', 'only this event (case-insensitive)')
    .option('--errors', 'drain error-flagged records (error=1) instead')
    .option('--concurrency <n>', 'events handled at once within a page (--exec, --forward-to)', '1')
    .option('--handler-timeout <seconds>', 'per-event limit for --exec and --forward-to; silence limit for --pipe', '30')
    .option('--follow', 'keep polling when the queue is empty (back-off up to 30s); ride out network drops')
    .option('--reclaim-after <duration>', `with --follow: take over batches reserved this long and never settled (default ${DEFAULT_RECLAIM_AFTER}; 90s, 1h…)`)
    .option('--worker <name>', "this drain's name: a restart under it resumes its own batches first (default: the first free of PROFILE, PROFILE-2…)")
    .addOption(new Option('--resume [process-id]', 'first finish the batch(es) a killed drain left reserved (all of this queue without an id)'))
    .option('--at-most-once', 'read with clear=1: the portal deletes each page as it is read (no plan feature needed; loses events on failure)')
    .option('--connector <id>', connectorHelp)
    .addHelpText('after', drainHelp);
  return withOptions(command, drainOptionsSchema, (opts) => run(opts, ctx));
}
