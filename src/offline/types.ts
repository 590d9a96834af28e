import type { OfflineEvent } from '../api/offline.js';

export type { OfflineEvent };

/**
 * What a sink made of one event. A sink may also throw `SinkStopped` (the event is then left reserved).
 * `recordFault`: the record itself is unusable (it cannot be written as JSON), whatever the handler.
 */
export type Verdict = { handled: true } | { handled: false; reason: string; recordFault?: true };

/** Failures within a group handed to `handleGroup`: index in the group → reason. */
export type GroupFailures = ReadonlyMap<number, Verdict & { handled: false }>;

/**
 * Where drained events go. `handle` resolves once the event is safely delivered or definitely
 * not (with a reason); the engine confirms or error-flags it on the portal accordingly.
 */
export interface Sink {
  /** events handled at once within a page */
  readonly concurrency: number;
  handle(event: OfflineEvent): Promise<Verdict>;
  /**
   * Optional: takes a run of events in one go (one write for all of them) and resolves once every one
   * of them is handled but the failures it returns, or throws `SinkStopped` (then none of them
   * counts). Used instead of `handle`.
   */
  handleGroup?(events: OfflineEvent[]): Promise<GroupFailures | undefined | void>;
  close(): Promise<void>;
}

/** The verdict of every handled event (one shared object: a drain hands out millions). */
export const HANDLED: Verdict = Object.freeze({ handled: true });

/** The sink cannot take more events (its reader went away): stop, leave the event in hand reserved. */
export class SinkStopped extends Error {
  /** the page's failures were the sink's fault, not the events': leave them reserved, unflagged */
  readonly releaseFailures: boolean;

  constructor(message: string, options: { releaseFailures?: boolean } = {}) {
    super(message);
    this.name = 'SinkStopped';
    this.releaseFailures = options.releaseFailures ?? false;
  }
}

/** Which records a drain reads. */
export interface QueueSelection {
  /** error-flagged records (`error=1`) instead of ordinary ones */
  errors: boolean;
  /** `=EVENT_NAME` filter, upper-case */
  eventName?: string | undefined;
}

/** A page in hand: what the portal returned and under which reservation. */
export interface Page {
  /** null for at-most-once pages (already deleted on the portal) */
  processId: string | null;
  /** the records are error-flagged ones (they stay flagged and reserved when they fail again) */
  errorRows: boolean;
  events: OfflineEvent[];
}

/** How a page went: which records to confirm, which to flag, how many were not attempted. */
export interface PageOutcome {
  handledIds: (string | number)[];
  failedMessageIds: string[];
  /** not attempted (interrupted, or the sink stopped); they stay reserved */
  unattempted: number;
}

/** Counters a progress display or summary reads. */
export interface DrainStats {
  handled: number;
  failed: number;
  pages: number;
  startedAt: number;
  /** records still reserved when the drain stopped, by process id */
  leftReserved: Map<string, number>;
  /** reads whose reply was lost: they may have reserved (or, at most once, deleted) records */
  uncertainReservations: number;
  /** at most once: records the portal deleted on read that never reached the sink (sink stopped) */
  lost: number;
  /** events handed to the sink that have no verdict yet */
  inFlight: number;
  /** records read and not yet settled, by process id: with `leftReserved`, what a hard stop now would leave reserved */
  holding: Map<string, number>;
}

/** Why a drain ended; 'error' is for callers reporting a drain that threw. */
export type StopReason = 'empty' | 'max' | 'interrupted' | 'sink-stopped' | 'error';

export interface DrainResult {
  stats: DrainStats;
  stopped: StopReason;
  /** why the sink stopped, with 'sink-stopped' */
  sinkError?: string | undefined;
}

/** Callbacks for what the engine wants to tell the user; all optional. */
export interface DrainHooks {
  /** after every event and page */
  progress?(stats: DrainStats): void;
  /** one event failed (already counted) */
  failure?(event: OfflineEvent, reason: string): void;
  /** transient trouble the engine is riding out (network drop, back-off) */
  notice?(message: string): void;
  /** the counts asked for with the first request (see `DrainOptions.probes`) */
  probed?(counts: { unreserved?: number | undefined; reserved?: number | undefined }): void;
  /** --follow found the queue empty and polls again in `ms` */
  waiting?(ms: number): void;
  /**
   * The process ids the drain answers for now (pages read and not settled, left reserved, or still
   * to resume), after each request and at the end: what a restart of the same worker resumes.
   */
  holding?(processIds: string[]): void;
  /** the pages read by the last request were handled: their records are garbage before the next read */
  handled?(): void;
}
