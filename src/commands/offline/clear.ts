import { Command } from 'commander';
import { z } from 'zod';
import { clearEveryUnreserved, clearOfflineEvents, listOfflinePage, listOfflineRows, type ClearTarget } from '../../api/offline.js';
import type { B24Client } from '../../api/client.js';
import type { Context } from '../../context.js';
import { ExitCode, SilentError, UsageError } from '../../errors.js';
import { count } from '../../output/plural.js';
import { confirmDestructive, examples, withOptions } from '../shared/options.js';
import { connectorHelp, connectorSchema, explainLicense, messageIdsSchema, processIdSchema } from './shared.js';

export const clearOptionsSchema = z.object({
  processId: processIdSchema.optional(),
  messageId: messageIdsSchema.optional(),
  id: z.array(z.coerce.number().int().min(1, 'ids are positive integers')).optional(),
  all: z.boolean().default(false),
  yes: z.boolean().default(false),
  connector: connectorSchema,
});
export type ClearOptions = z.infer<typeof clearOptionsSchema>;

/** `offline clear`: confirm (delete) a reserved batch, or some of its records; `--all` after a count and a question. */
export async function runClear(opts: ClearOptions, ctx: Context): Promise<void> {
  if (opts.all) return clearAll(opts, ctx);
  const processId = opts.processId;
  if (!processId)
    throw new UsageError('pass --process-id ID (a reserved batch) or --all', { hint: '`b24-events offline list` shows the PROCESS_ID of reserved records' });
  if ((opts.messageId !== undefined && opts.messageId.length === 0) || (opts.id !== undefined && opts.id.length === 0)) {
    // An empty list would make the portal confirm the whole batch: only leaving both flags out means that.
    throw new UsageError('--message-id / --id was given but names no record; nothing was changed', { hint: 'leave both flags out to confirm the whole batch' });
  }
  if (opts.messageId?.length && opts.id?.length) {
    throw new UsageError('pass --message-id or --id, not both', { hint: 'the portal ignores --id when message ids are given' });
  }
  const target: ClearTarget = opts.messageId?.length ? { messageIds: opts.messageId } : opts.id?.length ? { ids: opts.id } : { wholeBatch: true };
  const client = await ctx.client();
  try {
    // The portal answers true even for a batch that does not exist: check, so a typo is not "confirmed".
    const first = await listOfflineRows(client, { filter: { PROCESS_ID: processId } }, opts.connector).next();
    if (first.done)
      throw new UsageError(`batch ${processId} holds no records; nothing was changed`, {
        hint: '`b24-events offline list` shows the PROCESS_ID of reserved records',
      });
    await clearOfflineEvents(client, processId, target, opts.connector);
  } catch (error) {
    throw explainLicense(error, true);
  }
  const which = 'wholeBatch' in target ? 'every record' : count('ids' in target ? target.ids.length : target.messageIds.length, 'record');
  if (ctx.globals.json) return ctx.printer.printJson({ process_id: processId, ...wireTarget(target), result: true });
  ctx.printer.success(`Confirmed ${which} of batch ${processId} (the portal deletes them; it does not say how many matched)`);
}

async function clearAll(opts: ClearOptions, ctx: Context): Promise<void> {
  if (opts.processId || opts.messageId?.length || opts.id?.length) {
    throw new UsageError('--all takes no --process-id, --message-id or --id', { hint: 'it deletes every unreserved record of the queue' });
  }
  const client = await ctx.client();
  const before = await unreservedCount(client, opts.connector);
  if (before.total === 0) {
    if (ctx.globals.json) return ctx.printer.printJson({ all: true, unreserved_before: 0, unreserved_after: 0 });
    return ctx.printer.note('The queue has no unreserved records; nothing to clear');
  }
  const records = before.total === 1 ? 'the one unreserved record' : `all ${before.total} unreserved records`;
  const question = `Delete ${records} of the queue (${before.errors} of them error-flagged), keeping the reserved batches?`;
  if (!(await confirmDestructive(ctx, question, opts.yes))) {
    ctx.printer.note('Cancelled; nothing changed');
    throw new SilentError(ExitCode.ok);
  }
  // the one deliberate empty process_id: the portal deletes every unreserved record
  await clearEveryUnreserved(client, opts.connector);
  const after = await unreservedCount(client, opts.connector);
  if (ctx.globals.json) return ctx.printer.printJson({ all: true, unreserved_before: before.total, unreserved_after: after.total });
  ctx.printer.success(`Cleared the unreserved records: ${before.total} before, ${after.total} now`);
}

async function unreservedCount(client: B24Client, connector: string | undefined): Promise<{ total: number; errors: number }> {
  try {
    const all = await listOfflinePage(client, { filter: { PROCESS_ID: '' } }, connector);
    const flagged = await listOfflinePage(client, { filter: { PROCESS_ID: '', ERROR: 1 } }, connector);
    return { total: all.total ?? all.result.length, errors: flagged.total ?? flagged.result.length };
  } catch (error) {
    throw explainLicense(error, true);
  }
}

function wireTarget(target: ClearTarget): Record<string, unknown> {
  if ('ids' in target) return { id: target.ids };
  if ('messageIds' in target) return { message_id: target.messageIds };
  return { whole_batch: true };
}

export function clearCommand(ctx: Context, run = runClear): Command {
  const command = new Command('clear')
    .description('Confirm (delete) a reserved batch or some of its records; --all deletes every unreserved record')
    .option('--process-id <id>', 'the reserved batch (PROCESS_ID from `offline list`)')
    .option('--message-id <ids...>', 'only these MESSAGE_IDs of the batch (32 characters each)')
    .option('--id <ids...>', 'only these record IDs of the batch')
    .option('--all', 'delete every unreserved record, error-flagged ones included (asks first)')
    .option('-y, --yes', 'do not ask (required for --all without a terminal)')
    .option('--connector <id>', connectorHelp)
    .addHelpText(
      'after',
      `\nWithout --message-id/--id the whole batch is deleted. --all shows how many records it would delete
and asks; without a terminal it needs --yes. Records reserved by a running drain are never touched by --all.
${examples('b24-events offline clear --process-id 3f1c…e9 --id 41 42', 'b24-events offline clear --process-id 3f1c…e9', 'b24-events offline clear --all')}`,
    );
  return withOptions(command, clearOptionsSchema, (opts) => run(opts, ctx));
}
