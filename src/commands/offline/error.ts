import { Command } from 'commander';
import { z } from 'zod';
import { listOfflineRows, markOfflineErrors } from '../../api/offline.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { count } from '../../output/plural.js';
import { examples, withOptions } from '../shared/options.js';
import { connectorHelp, connectorSchema, explainLicense, messageIdsSchema, processIdSchema } from './shared.js';

export const errorOptionsSchema = z.object({
  processId: processIdSchema,
  messageId: messageIdsSchema.refine((ids) => ids.length > 0, 'pass at least one message id'),
  connector: connectorSchema,
});
export type ErrorOptions = z.infer<typeof errorOptionsSchema>;

/**
 * `offline error`: flag records of a reserved batch as failed (they leave the batch as error rows).
 * The batch is read first: for messages it does not hold the portal would flag nothing and delete
 * their other copies, so those are refused before anything changes.
 */
export async function runError(opts: ErrorOptions, ctx: Context): Promise<void> {
  const client = await ctx.client();
  try {
    const missing = new Set(opts.messageId);
    const flagged: string[] = [];
    for await (const rows of listOfflineRows(client, { filter: { PROCESS_ID: opts.processId } }, opts.connector)) {
      for (const row of rows) {
        if (!missing.delete(row.MESSAGE_ID)) continue;
        if (String(row.ERROR) === '1') flagged.push(row.MESSAGE_ID);
      }
    }
    if (flagged.length > 0) {
      // The portal would flag nothing and delete newer copies of these messages.
      throw new UsageError(`batch ${opts.processId} holds ${flagged.join(', ')} as error rows already; nothing was changed`, {
        hint: 'error rows can only be confirmed (`offline clear`) or drained again (`offline drain --errors --resume ID`)',
      });
    }
    if (missing.size > 0) {
      throw new UsageError(`batch ${opts.processId} does not hold ${[...missing].join(', ')}; nothing was changed`, {
        hint: '`b24-events offline list --process-id ID` shows what the batch holds',
      });
    }
    await markOfflineErrors(client, opts.processId, opts.messageId, opts.connector);
  } catch (error) {
    throw explainLicense(error, true);
  }
  if (ctx.globals.json) return ctx.printer.printJson({ process_id: opts.processId, message_id: opts.messageId, result: true });
  ctx.printer.success(
    `Flagged ${count(opts.messageId.length, 'record')} of batch ${opts.processId} as failed; \`b24-events offline drain --errors\` drains them again`,
  );
}

export function errorCommand(ctx: Context, run = runError): Command {
  const command = new Command('error')
    .description('Flag records of a reserved batch as failed (event.offline.error)')
    .requiredOption('--process-id <id>', 'the reserved batch (PROCESS_ID from `offline list`)')
    .requiredOption('--message-id <ids...>', 'MESSAGE_IDs to flag (32 characters each)')
    .option('--connector <id>', connectorHelp)
    .addHelpText(
      'after',
      `\nFlagged records leave the batch as unreserved ERROR=1 records: ordinary drains skip them,
\`offline drain --errors\` reads them, and the portal never purges them. The portal also deletes other
unflagged copies of the same messages (for example a newer update of the same deal): the change then
survives only as the flagged record. Messages the batch does not hold are refused before anything is
sent (the portal would flag nothing for them and still delete their copies).
${examples('b24-events offline error --process-id 3f1c…e9 --message-id 0d4c3e86b0b2c6a1f5e7d9a8c7b6e5f4')}`,
    );
  return withOptions(command, errorOptionsSchema, (opts) => run(opts, ctx));
}
