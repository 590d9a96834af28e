import type { B24Client } from '../../api/client.js';
import { createDrainStats, drainQueue } from '../../offline/engine.js';
import { ListenerQueue, type Poller } from '../../offline/listen-queue.js';
import { recoverable, waitFor } from '../../offline/recovery.js';
import type { DrainHooks, QueueSelection, Sink } from '../../offline/types.js';
import { RunAbort, type Link } from './link.js';

export interface SessionSettings {
  client: B24Client;
  /** undefined: the default queue (--shared-queue) */
  connector: string | undefined;
  /** the queue is this listener's alone: whatever is reserved in it is its own to take over */
  ownQueue: boolean;
  /** one drain per selection (the shared queue is read per event, the own queue whole) */
  selections: QueueSelection[];
  poller: Poller;
  link: Link;
  /** Ctrl-C / SIGTERM */
  signal: AbortSignal;
  hooks: DrainHooks;
}

export type SessionEnd = { stopped: 'interrupted' } | { stopped: 'gave-up'; reason: string } | { stopped: 'sink-stopped'; reason: string };

/** A drain run of one selection and what can end it from outside. */
interface Run {
  stop: AbortController;
  requests: AbortController;
}

/**
 * Keeps the listener's drains going until Ctrl-C: the engine rides out failures itself; a run is
 * restarted (taking over what its own queue holds reserved) when a request whose reply was lost may
 * have reserved records, or when a clock jump left a request hanging on a dead connection.
 */
export class ListenSession {
  private readonly runs = new Set<Run>();
  private gaveUp: string | undefined;
  /** aborted when giving up */
  private readonly ended = new AbortController();

  constructor(private readonly settings: SessionSettings) {}

  async run(sink: Sink): Promise<SessionEnd> {
    const ends = await Promise.all(this.settings.selections.map((selection) => this.keep(selection, sink)));
    if (this.gaveUp !== undefined) return { stopped: 'gave-up', reason: this.gaveUp };
    return ends.find((end) => end.stopped === 'sink-stopped') ?? { stopped: 'interrupted' };
  }

  /** The clock jumped: a request in flight is likely stuck on a dead connection, so drop it and start again. */
  jumped(inFlight: boolean): void {
    if (inFlight) for (const run of this.runs) run.requests.abort(new RunAbort('restart'));
  }

  /** --give-up-after passed while the portal stayed unreachable: stop every run now. */
  giveUp(reason: string): void {
    this.gaveUp = reason;
    this.ended.abort();
    for (const run of this.runs) {
      run.stop.abort();
      run.requests.abort(new RunAbort('give-up'));
    }
  }

  private async keep(selection: QueueSelection, sink: Sink): Promise<SessionEnd> {
    const { signal } = this.settings;
    let failures = 0;
    for (let first = true; ; first = false) {
      let outcome: SessionEnd | undefined;
      try {
        outcome = await this.once(selection, sink, this.settings.ownQueue, first);
        failures = 0;
      } catch (error) {
        // the engine rides out failures itself; only taking over reserved batches comes before it does
        const retry = recoverable(error, (failures += 1), true);
        if (!retry) throw error;
        this.settings.link.failed(error);
        await waitFor(retry.delayMs, AbortSignal.any([this.settings.signal, this.ended.signal]));
      }
      if (outcome) return outcome;
      if (signal.aborted || this.gaveUp !== undefined) return { stopped: 'interrupted' };
    }
  }

  /** One drain run; undefined when it should be started again. */
  private async once(selection: QueueSelection, sink: Sink, resume: boolean, first: boolean): Promise<SessionEnd | undefined> {
    const { client, connector, poller, link, signal, hooks } = this.settings;
    const run: Run = { stop: new AbortController(), requests: new AbortController() };
    const stopRun = () => run.stop.abort();
    signal.addEventListener('abort', stopRun, { once: true });
    this.runs.add(run);
    const stats = createDrainStats();
    let uncertain = 0;
    const watch = {
      inFlight: (busy: boolean) => link.inFlight(busy),
      failed: (error: unknown) => link.failed(error),
      succeeded: () => {
        link.succeeded();
        // a lost reply may have reserved records in our own queue: restart and take them over
        if (this.settings.ownQueue && stats.uncertainReservations > uncertain) stopRun();
        uncertain = stats.uncertainReservations;
      },
    };
    const queue = new ListenerQueue(client, connector, run.requests.signal, poller, run.stop.signal, watch);
    try {
      const result = await drainQueue(
        queue,
        sink,
        {
          selection,
          batchSize: 1000,
          follow: true,
          atMostOnce: false,
          resume: resume ? {} : undefined,
          signal: run.stop.signal,
          pollMs: { min: 0, max: 0 },
          probes: { unreserved: first && this.settings.ownQueue },
        },
        hooks,
        stats,
      );
      if (result.stopped === 'sink-stopped') return { stopped: 'sink-stopped', reason: result.sinkError ?? 'the sink stopped' };
    } catch (error) {
      if (!(error instanceof RunAbort)) throw error;
    } finally {
      signal.removeEventListener('abort', stopRun);
      this.runs.delete(run);
    }
    return signal.aborted ? { stopped: 'interrupted' } : undefined;
  }
}
