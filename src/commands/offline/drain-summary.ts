import type { DrainResult, DrainStats } from '../../offline/types.js';
import { count } from '../../output/plural.js';

export interface DrainSummary {
  handled: number;
  failed: number;
  left_reserved: { process_id: string; events: number }[];
  uncertain_reservations: number;
  lost: number;
  pages: number;
  requests: number;
  seconds: number;
  events_per_second: number;
  stopped: DrainResult['stopped'];
  stop_reason?: string;
  delivery: 'at-least-once' | 'at-most-once';
  /** the --worker name whose state file records this drain's batches (none at most once) */
  worker: string | null;
}

export function summaryOf(result: DrainResult, requests: number, settings: { atMostOnce: boolean; worker?: string | undefined }, now: number): DrainSummary {
  const { stats } = result;
  const ms = Math.max(0, now - stats.startedAt);
  const events = stats.handled + stats.failed;
  return {
    handled: stats.handled,
    failed: stats.failed,
    left_reserved: [...stats.leftReserved].map(([processId, events]) => ({ process_id: processId, events })),
    uncertain_reservations: stats.uncertainReservations,
    lost: stats.lost,
    pages: stats.pages,
    requests,
    seconds: Math.round(ms / 100) / 10,
    events_per_second: ms > 0 ? Math.round((events * 1000) / ms) : 0,
    stopped: result.stopped,
    ...(result.sinkError ? { stop_reason: result.sinkError } : {}),
    delivery: settings.atMostOnce ? 'at-most-once' : 'at-least-once',
    worker: settings.worker ?? null,
  };
}

/**
 * The summary's first line: "Handled 1200 events — 3 requests in 0.8s"; the rate only when the run took
 * long enough for one to mean something, and never "0s, 0 events/s".
 */
export function summaryLine(stats: DrainStats, summary: DrainSummary, failedNote: string): string {
  const failed = stats.failed === 0 ? '' : `, ${stats.failed} failed${failedNote}`;
  const seconds = summary.seconds;
  const took = seconds < 0.1 ? 'in under 0.1s' : `in ${seconds}s`;
  const rate = seconds >= 1 ? ` (${summary.events_per_second} events/s)` : '';
  return `Handled ${count(stats.handled, 'event')}${failed} — ${count(summary.requests, 'request')} ${took}${rate}`;
}

/** Said instead of a summary line when nothing was read: why there was nothing. */
export function nothingLine(settings: { errorRows: boolean; eventName?: string | undefined }, stopped: DrainResult['stopped']): string {
  if (stopped === 'interrupted') return 'Interrupted before any event was handled';
  const what = settings.errorRows ? 'error-flagged records' : 'records';
  if (settings.eventName) return `Nothing to drain: no unreserved ${what} of ${settings.eventName} in the queue`;
  return settings.errorRows ? 'Nothing to drain: no unreserved error-flagged records in the queue' : 'Nothing to drain: the queue is empty';
}

/** Lines naming what stays reserved and how to finish it: one per batch, then a total beyond three. */
export function reservedLines(left: { process_id: string; events: number }[]): string[] {
  const shown = left.length > 4 ? left.slice(0, 3) : left;
  const lines = shown.map(({ process_id: id, events }) => {
    const records = events > 0 ? count(events, 'record') : 'records';
    return `${records} left reserved under ${id}: finish with \`b24-events offline drain --resume ${id}\``;
  });
  if (shown.length < left.length) {
    const rest = left.slice(shown.length);
    const records = rest.reduce((sum, entry) => sum + entry.events, 0);
    lines.push(
      `${count(records, 'record')} more left reserved under ${count(rest.length, 'other batch', 'other batches')}: \`b24-events offline drain --resume\` finishes every reserved batch of the queue (when no other drain is running)`,
    );
  }
  return lines;
}

/** What a hard stop now would leave reserved: the settled leftovers plus every page not yet settled. */
export function reservedIfStoppedNow(stats: DrainStats): { process_id: string; events: number }[] {
  const merged = new Map(stats.leftReserved);
  for (const [id, rows] of stats.holding) merged.set(id, (merged.get(id) ?? 0) + rows);
  return [...merged].filter(([, events]) => events > 0).map(([processId, events]) => ({ process_id: processId, events }));
}
