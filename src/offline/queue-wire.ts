import type { BatchCommand, BatchOutcome } from '../api/batch.js';
import { listTotal, queueCommands, type GetQuery, type Scalar } from '../api/offline.js';
import type { Exchange, PageRequest, Probes } from './queue.js';
import type { QueueSelection } from './types.js';

/** The wire form of the queue's steps: queries per read, the probes of a first request, id chunks. */

/**
 * Ids per clear/error command inside a batch: sub-commands travel as query strings, and PHP stops
 * reading a query string after max_input_vars (1000 by default) variables.
 */
export const IDS_PER_COMMAND = 500;

/** The counts a first request asks for, run before its reads (a reservation made by them is not counted). */
export function probeCommands(probes: Probes): BatchCommand[] {
  const commands: BatchCommand[] = [];
  if (probes.unreserved) {
    const filter = { ...selectionFilter(probes.unreserved), ERROR: probes.unreserved.errors ? 1 : 0, PROCESS_ID: '' };
    commands.push(queueCommands.list('unreserved', { filter }));
  }
  if (probes.reserved) commands.push(queueCommands.list('reserved', { filter: { '>PROCESS_ID': '' } }));
  return commands;
}

/** Probe counts (a failed probe is only a missing hint). */
export function countsOf(outcomes: BatchOutcome[]): Exchange['counts'] {
  const counts: Exchange['counts'] = {};
  for (const outcome of outcomes) {
    if (!outcome.ok || (outcome.key !== 'unreserved' && outcome.key !== 'reserved')) continue;
    try {
      counts[outcome.key] = listTotal(outcome.result, outcome.total);
    } catch {
      // a malformed count must not cost the pages read in the same request
    }
  }
  return counts;
}

export function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += IDS_PER_COMMAND) out.push(items.slice(i, i + IDS_PER_COMMAND));
  return out;
}

function selectionFilter(selection: QueueSelection): Record<string, Scalar> {
  return selection.eventName ? { '=EVENT_NAME': selection.eventName } : {};
}

export function errorRowsOf(request: PageRequest): boolean {
  return request.kind === 'reread' ? request.errorRows : request.selection.errors;
}

export function toQuery(request: PageRequest): GetQuery {
  if (request.kind === 'reread') {
    return {
      limit: request.limit,
      clear: false,
      processId: request.processId,
      error: request.errorRows,
      // walk the batch by id, so records that stay in it (failed again) are not read twice
      filter: request.afterId === undefined ? undefined : { '>ID': request.afterId },
      order: { ID: 'ASC' },
    };
  }
  return { limit: request.limit, clear: request.kind === 'take', error: request.selection.errors, filter: selectionFilter(request.selection) };
}
