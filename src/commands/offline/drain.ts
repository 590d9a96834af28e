import { Command, Option } from 'commander';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { ExitCode, SilentError } from '../../errors.js';
import { createDrainStats, drainQueue } from '../../offline/engine.js';
import { OfflineQueue } from '../../offline/queue.js';
import type { DrainResult, Sink } from '../../offline/types.js';
import { examples, withOptions } from '../shared/options.js';
import { checkDrainOptions, createSink, DEFAULT_BATCH, DEFAULT_BATCH_AT_MOST_ONCE } from './drain-setup.js';
import { DrainReporter } from './drain-report.js';
import { connectorHelp, connectorSchema, explainLicense } from './shared.js';

const count = (what: string) => z.coerce.number().int(`${what} must be a whole number`).min(1, `${what} must be at least 1`);

export const drainOptionsSchema = z.object({
  batch: count('the page size').max(1000, 'the page size is at most 1000').optional(),
  max: count('the event count').optional(),
  event: z.string().trim().min(1, 'must name an event').optional(),
  connector: connectorSchema,
  errors: z.boolean().default(false),
  exec: z.string().trim().min(1, 'must not be empty').optional(),
  forwardTo: z.string().optional(),
  withAuth: z.boolean().default(false),
  concurrency: count('concurrency').max(64, 'concurrency is at most 64').default(1),
  handlerTimeout: z.coerce.number().positive('must be a positive number of seconds').default(30),
  follow: z.boolean().default(false),
  atMostOnce: z.boolean().default(false),
  resume: z.union([z.literal(true), z.string().trim().min(1, 'must not be empty (an empty process id acts on the whole queue)')]).optional(),
});
export type DrainOptions = z.infer<typeof drainOptionsSchema>;

/** `offline drain`: the lossless loop of src/offline with a sink chosen by flags, progress and a summary. */
export async function runDrain(opts: DrainOptions, ctx: Context): Promise<void> {
  const checked = checkDrainOptions(opts);
  const client = await ctx.client();
  if (opts.atMostOnce) {
    ctx.printer.warn('--at-most-once: the portal deletes each page as it returns it (clear=1); events in hand are lost if this run fails or is killed');
  }
  const reporter = new DrainReporter(ctx, { sinkIsStdout: checked.sink === 'stdout', atMostOnce: opts.atMostOnce, errorRows: opts.errors });
  const sink = await createSink(checked.sink, opts, ctx);
  // Confirming what was handled must still go out after Ctrl-C; only a second Ctrl-C stops it.
  const queue = new OfflineQueue(client, opts.connector, new AbortController().signal);
  const selection = { errors: opts.errors, eventName: checked.eventName };
  const requestsBefore = client.requestCount;
  if (ctx.io.stderrIsTTY) reporter.queueSize = await queue.size(selection).catch(() => undefined);
  const stats = createDrainStats(ctx.now());
  const release = checked.sink === 'stdout' ? ctx.claimClosedStdout() : () => {};
  let result: DrainResult;
  try {
    result = await drainQueue(
      queue,
      sink,
      {
        selection,
        batchSize: opts.batch ?? (opts.atMostOnce ? DEFAULT_BATCH_AT_MOST_ONCE : DEFAULT_BATCH),
        max: opts.max,
        follow: opts.follow,
        atMostOnce: opts.atMostOnce,
        resume: checked.resume,
        signal: ctx.signal,
      },
      { progress: (s) => reporter.progress(s), failure: (e, why) => reporter.failure(e, why), notice: (m) => reporter.notice(m) },
      stats,
    );
  } catch (error) {
    reporter.finish({ stats, stopped: 'error' }, client.requestCount - requestsBefore);
    throw explainLicense(error, stats.pages === 0);
  } finally {
    release();
    await closeQuietly(sink);
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

const drainHelp = `
How it works: each page is read with clear=0, so the portal reserves it under a process id instead of
deleting it. Every event goes to the sink; then the failures are flagged (event.offline.error) and the
successes confirmed by id (event.offline.clear), in the same request that reads the next page. Nothing
is deleted before it was handled: after a crash the page is still reserved (see \`offline list\`) and
\`--resume\` re-reads it (with clear=0, never the portal's default clear=1, which would delete it), then
drains on. \`--resume\` without an id takes over every reserved batch of the queue: use it only when
no other consumer of this queue is running.

Failures become error rows: invisible to ordinary drains, kept until \`--errors\` drains them (never
purged). Flagging also deletes a newer, not yet reserved copy of the same message (the same record
changed again meanwhile); that change then lives on only in the error row, so drain --errors regularly.
A read whose reply was lost (timeout) may have reserved records: the run then exits 1 and says so.

Sinks:
  (default)         NDJSON on stdout, one record per line as the portal returns it; a record counts as
                    handled once its line is written and flushed
  --exec CMD        runs CMD (via the shell) per event with the event's JSON on stdin; exit 0 = handled.
                    CMD's output goes to stderr; B24_EVENT_NAME, B24_EVENT_ID, B24_MESSAGE_ID are set,
                    credentials are removed from its environment; exit 126/127 (cannot run), or the
                    same failure for the first 5 events without any success (a missing script), stops
                    the drain with the page reserved and nothing flagged
  --forward-to URL  POSTs each event like Bitrix24's online delivery (form-encoded event,
                    event_handler_id=0, data[...], ts, auth[domain|client_endpoint|member_id|
                    server_endpoint|application_token] from the profile, like an outgoing webhook);
                    any 2xx = handled, redirects are failures; a handler that refuses connections
                    (or has no DNS), or fails the same way for the first 5 events without any
                    success (a wrong URL), stops the drain the same way
  --with-auth       with --forward-to: auth[] is an app delivery's instead (the profile's current
                    access token, expires, expires_in, scope, status, user_id, ...; never the refresh
                    token), so a handler that calls back to the portal works unchanged

Ctrl-C (or SIGTERM): the events in hand finish, the page is settled (failures flagged, successes
confirmed), events not started stay reserved, exit 130. A second Ctrl-C stops at once.
Failed events are flagged ERROR=1 and skipped by later drains; \`--errors\` drains them again (if they
fail again they stay reserved under the page's process id). Without rest_offline_extended the portal
refuses clear=0 (WRONG_LICENSE, exit 4); only --at-most-once reads with clear=1.

Output: stdout carries the events (default sink) and nothing else. A progress line is shown on a
terminal (stderr) and a summary at the end (stderr). With --json the summary is one JSON document
{handled, failed, left_reserved, uncertain_reservations, lost, pages, requests, seconds,
events_per_second, stopped, stop_reason, delivery}: on stderr (one line) with the stdout sink,
otherwise on stdout as the only document.
Exit: 0 all handled; 1 some failed, were lost or left reserved; 2 bad options; 4 WRONG_LICENSE or
no access; 130 interrupted.
${examples(
  'b24-events offline drain > events.ndjson',
  "b24-events offline drain --exec 'php handle-event.php' --concurrency 4",
  'b24-events offline drain --forward-to https://hooks.example.com/b24 --follow',
  'b24-events offline drain --forward-to http://127.0.0.1:8080/handler.php --with-auth',
  "b24-events offline drain --errors --max 100 | jq -c '{ID, EVENT_NAME}'",
  'b24-events offline drain --resume            # finish batches a killed drain left reserved',
)}`;

export function drainCommand(ctx: Context, run = runDrain): Command {
  const command = new Command('drain')
    .description('Read the offline queue without losing events: hand each event to a sink, then confirm it')
    .option('--exec <cmd>', 'run CMD per event, the event JSON on stdin (exit 0 = handled)')
    .option('--forward-to <url>', 'POST each event to URL like an online delivery (2xx = handled)')
    .option('--with-auth', "with --forward-to: include the profile's access token in auth[] like an app delivery")
    .option('--batch <n>', `records per page (default ${DEFAULT_BATCH}; ${DEFAULT_BATCH_AT_MOST_ONCE} with --at-most-once; at most 1000)`)
    .option('--max <n>', 'stop after N events')
    .option('--event <name>', 'only this event (case-insensitive)')
    .option('--errors', 'drain error-flagged records (error=1) instead')
    .option('--concurrency <n>', 'events handled at once within a page (--exec, --forward-to)', '1')
    .option('--handler-timeout <seconds>', 'per-event limit for --exec and --forward-to', '30')
    .option('--follow', 'keep polling when the queue is empty (back-off up to 30s); ride out network drops')
    .addOption(new Option('--resume [process-id]', 'first finish the batch(es) a killed drain left reserved (all of this queue without an id)'))
    .option('--at-most-once', 'read with clear=1: the portal deletes each page as it is read (no plan feature needed; loses events on failure)')
    .option('--connector <id>', connectorHelp)
    .addHelpText('after', drainHelp);
  return withOptions(command, drainOptionsSchema, (opts) => run(opts, ctx));
}
