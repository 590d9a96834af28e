import type { HandlerRecord } from '../../api/events.js';
import type { Context } from '../../context.js';
import type { Column } from '../../output/table.js';
import { describeListener, parseListener } from './listeners.js';

/**
 * `event.get` rows as a table. Piped, each column holds one kind of value (scripts `cut` them): the
 * handler column only URLs, the connector its own column; on a terminal the empty cells explain themselves.
 */
const columns: Column<HandlerRecord>[] = [
  { header: 'EVENT', value: (h) => h.event },
  { header: 'TYPE', value: (h) => (h.offline ? 'offline' : 'online') },
  { header: 'HANDLER', value: (h) => (h.offline ? '' : h.handler) },
  { header: 'AUTH_TYPE', value: (h, tty) => (h.offline ? '' : tty && Number(h.auth_type ?? 0) === 0 ? '0 (triggering user)' : String(h.auth_type ?? '')) },
  { header: 'CONNECTOR', value: (h, tty) => (h.offline ? connectorCell(h.connector_id, tty) : '') },
];

/** On a terminal a listener's connector says whose it is (`listen`); piped, the connector id alone. */
function connectorCell(connector: string | undefined, tty: boolean): string {
  if (!tty) return connector ?? '';
  if (!connector) return '(default queue)';
  const listener = parseListener(connector);
  return listener ? `${connector} (${describeListener(listener)})` : connector;
}

/** Prints handler rows: JSON with --json, a table on a terminal, TSV when piped. */
export async function printHandlers(ctx: Context, rows: HandlerRecord[], emptyNote: string): Promise<void> {
  if (ctx.globals.json) return ctx.printer.printJson(rows);
  if (rows.length === 0) return ctx.printer.empty(emptyNote);
  await ctx.printer.printTable(columns, rows);
}
