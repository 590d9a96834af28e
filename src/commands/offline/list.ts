import { Command } from 'commander';
import { z } from 'zod';
import type { B24Client } from '../../api/client.js';
import { getHandlers } from '../../api/events.js';
import { listOfflinePage, listOfflineRows, type OfflineRow, type Scalar } from '../../api/offline.js';
import type { Context } from '../../context.js';
import type { Column } from '../../output/table.js';
import type { JsonArrayStream } from '../../output/json-stream.js';
import { count as plural } from '../../output/plural.js';
import { examples, withOptions } from '../shared/options.js';
import { normalizeEventName } from '../../bindings/validate.js';
import { connectorHelp, connectorSchema, explainLicense, processIdSchema } from './shared.js';

export const listOptionsSchema = z.object({
  event: z.string().trim().min(1, 'must name an event').optional(),
  errors: z.boolean().default(false),
  processId: processIdSchema.optional(),
  connector: connectorSchema,
});
export type ListOptions = z.infer<typeof listOptionsSchema>;

const columns: Column<OfflineRow>[] = [
  { header: 'ID', value: (r) => String(r.ID) },
  { header: 'TIME', value: (r) => r.TIMESTAMP_X },
  { header: 'EVENT', value: (r) => r.EVENT_NAME },
  { header: 'MESSAGE_ID', value: (r) => r.MESSAGE_ID },
  { header: 'PROCESS_ID', value: (r) => r.PROCESS_ID ?? '' },
  { header: 'ERROR', value: (r) => String(r.ERROR ?? '') },
];

/**
 * `offline list`: every record of the queue (`event.offline.list`, all pages), read-only. Piped and
 * `--json` output stream page by page; only a terminal table waits for the last page.
 */
export async function runList(opts: ListOptions, ctx: Context): Promise<void> {
  const filter: Record<string, Scalar> = {};
  if (opts.event) filter.EVENT_NAME = normalizeEventName(opts.event);
  if (opts.errors) filter.ERROR = 1;
  if (opts.processId) filter.PROCESS_ID = opts.processId;
  // Made (and --fields checked) before any request: the JSON is streamed page by page.
  const array = ctx.globals.json ? await ctx.printer.jsonArray(ROW_FIELDS) : undefined;
  const client = await ctx.client();
  const pages = listOfflineRows(client, { filter }, opts.connector);
  try {
    if (array) return await streamJson(array, pages);
    const count = ctx.io.stdoutIsTTY ? await printTable(ctx, pages) : await streamTsv(ctx, pages);
    if (count === 0) ctx.printer.empty(Object.keys(filter).length ? 'No queued records match the filter' : 'The offline queue is empty');
  } catch (error) {
    throw explainLicense(error, true);
  }
  if (!opts.connector && ctx.io.stderrIsTTY) await mentionConnectorQueues(ctx, client);
}

/** At most this many connector queues are looked into (one request each). */
const CONNECTORS_CHECKED = 5;

/**
 * Each auth_connector has a queue of its own, and a listing without --connector shows only the queue
 * without one. On a terminal, name the connector queues that hold records: `event.get` says which
 * connectors have offline bindings, then one list request each (their total). A hint: any refusal
 * (no rest_auth_connector, say) just leaves it out.
 */
async function mentionConnectorQueues(ctx: Context, client: B24Client): Promise<void> {
  const handlers = await getHandlers(client).catch(() => []);
  const connectors = [...new Set(handlers.filter((h) => Number(h.offline) === 1 && h.connector_id).map((h) => h.connector_id as string))];
  for (const connector of connectors.slice(0, CONNECTORS_CHECKED)) {
    const page = await listOfflinePage(client, {}, connector).catch(() => undefined);
    const total = page ? (page.total ?? page.result.length) : 0;
    if (total > 0)
      ctx.printer.note(`The queue of connector ${connector} holds ${plural(total, 'record')}: \`b24-events offline list --connector ${connector}\``);
  }
}

/** The fields of a queue row, as the portal returns them (for --fields). */
const ROW_FIELDS = ['ID', 'TIMESTAMP_X', 'EVENT_NAME', 'EVENT_DATA', 'EVENT_ADDITIONAL', 'MESSAGE_ID', 'PROCESS_ID', 'ERROR'];

/** One JSON array, the rows as the portal returns them, written as pages arrive. */
async function streamJson(array: JsonArrayStream, pages: AsyncIterable<OfflineRow[]>): Promise<void> {
  for await (const page of pages) await array.push(page);
  await array.end();
}

async function streamTsv(ctx: Context, pages: AsyncIterable<OfflineRow[]>): Promise<number> {
  let count = 0;
  for await (const rows of pages) {
    await ctx.printer.printTable(columns, rows);
    count += rows.length;
  }
  return count;
}

async function printTable(ctx: Context, pages: AsyncIterable<OfflineRow[]>): Promise<number> {
  const all: OfflineRow[] = [];
  for await (const rows of pages) all.push(...rows);
  if (all.length > 0) await ctx.printer.printTable(columns, all);
  return all.length;
}

export function listCommand(ctx: Context, run = runList): Command {
  const command = new Command('list')
    .description('List the queued records with their reservation (PROCESS_ID) and error flag; changes nothing')
    .option('--event <name>', 'only this event (case-insensitive)')
    .option('--errors', 'only error-flagged records (ERROR=1)')
    .option('--process-id <id>', 'only the records reserved under this process id')
    .option('--connector <id>', connectorHelp)
    .addHelpText(
      'after',
      `\nRows with a PROCESS_ID are reserved: a drain is working on them, or one was killed before it
finished (resume it with \`b24-events offline drain --resume PROCESS_ID\`). ERROR=1 rows were flagged
as failed; \`offline drain --errors\` drains them again.
With --json: one JSON array of the rows as the portal returns them.
${examples(
  'b24-events offline list',
  'b24-events offline list --errors',
  "b24-events offline list | awk -F'\\t' '$5 != \"\"'    # reserved rows (piped output is tab-separated)",
  "b24-events offline list --json | jq 'group_by(.EVENT_NAME) | map({(.[0].EVENT_NAME): length}) | add'",
)}`,
    );
  return withOptions(command, listOptionsSchema, (opts) => run(opts, ctx));
}
