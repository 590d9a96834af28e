import { getHandlers, unbindMany } from '../../api/events.js';
import type { Context } from '../../context.js';
import { CliError, ExitCode, SilentError } from '../../errors.js';
import { confirmDestructive } from '../shared/options.js';
import { count } from '../../output/plural.js';

interface EverywhereRequest {
  handler: string;
  yes: boolean;
  strict: boolean;
}

/**
 * Decommissions an endpoint: finds every event the URL is bound to, asks, then unbinds them all in
 * batches (one rate-limit slot per 50 events).
 */
export async function runUnbindEverywhere(request: EverywhereRequest, ctx: Context): Promise<void> {
  const client = await ctx.client();
  const bound = (await getHandlers(client)).filter((h) => h.offline === 0 && h.handler === request.handler);
  const events = [...new Set(bound.map((h) => h.event))];
  if (events.length === 0) {
    if (request.strict)
      throw new CliError(`${request.handler} is not bound to any event`, ExitCode.failure, { hint: 'URLs must match exactly; see `b24-events handlers`' });
    if (ctx.globals.json) return ctx.printer.printJson({ handler: request.handler, removed: 0, events: [] });
    return ctx.printer.note(`${request.handler} is not bound to any event; nothing changed`);
  }
  const question = `Remove ${request.handler} from ${count(events.length, 'event')} (${events.join(', ')})?`;
  if (!(await confirmDestructive(ctx, question, request.yes))) {
    ctx.printer.note('Cancelled; nothing changed');
    throw new SilentError(ExitCode.ok);
  }
  const outcomes = await unbindMany(
    client,
    events.map((event) => ({ event, handler: request.handler, offline: false })),
  );
  const rows = outcomes.map((outcome, i) => ({
    event: events[i] ?? '',
    removed: outcome.ok && outcome.status === 'unbound' ? outcome.removed : 0,
    ...(outcome.ok ? {} : { error: `${outcome.error.code}: ${outcome.error.description}` }),
  }));
  report(ctx, request.handler, rows);
}

function report(ctx: Context, handler: string, rows: { event: string; removed: number; error?: string }[]): void {
  const removed = rows.reduce((sum, row) => sum + row.removed, 0);
  const failed = rows.filter((row) => row.error);
  if (ctx.globals.json) ctx.printer.printJson({ handler, removed, events: rows });
  else {
    for (const row of rows) {
      if (row.error) ctx.printer.warn(`${row.event}: ${row.error}`);
      else ctx.printer.success(`${row.event}: removed ${row.removed}`);
    }
    ctx.printer.note(`Removed ${count(removed, 'handler')} of ${handler}`);
  }
  if (failed.length)
    throw new CliError(`${failed.length} of ${rows.length} events could not be unbound`, ExitCode.failure, { hint: 'see the lines above; re-run to retry' });
}
