import { HANDLED, SinkStopped, type GroupFailures, type OfflineEvent, type PageOutcome, type Sink, type Verdict } from './types.js';

export interface PageRun {
  /** a soft stop: no new event is started once it is aborted (events in hand finish) */
  signal: AbortSignal;
  /** start every event even after a soft stop (at-most-once pages are already deleted) */
  finishAll: boolean;
  onVerdict(event: OfflineEvent, verdict: Verdict): void;
  /** an event was handed to the sink / came back from it (verdict or not) */
  onStart?(): void;
  onEnd?(): void;
}

export interface PageResult extends PageOutcome {
  /** set when the sink stopped taking events */
  sinkStopped?: SinkStopped | undefined;
  /** failures not flagged because the sink stopped as misconfigured (counted in `unattempted` too) */
  released: number;
}

/**
 * Hands a page's events to the sink, up to `sink.concurrency` at a time, in queue order. Only the
 * verdicts are kept, so memory is bounded by the page size.
 */
export async function handlePage(events: OfflineEvent[], sink: Sink, run: PageRun): Promise<PageResult> {
  if (sink.handleGroup) return handleInGroups(events, sink as Sink & Pick<Required<Sink>, 'handleGroup'>, run);
  const verdicts: (Verdict | undefined)[] = new Array<Verdict | undefined>(events.length);
  let next = 0;
  let stopped: SinkStopped | undefined;
  const mayStart = () => !stopped && (run.finishAll || !run.signal.aborted);
  const worker = async () => {
    while (next < events.length && mayStart()) {
      const index = next;
      next += 1;
      const event = events[index] as OfflineEvent;
      run.onStart?.();
      let verdict: Verdict;
      try {
        verdict = await sink.handle(event);
      } catch (error) {
        if (error instanceof SinkStopped) {
          stopped ??= error;
          run.onEnd?.();
          continue;
        }
        verdict = { handled: false, reason: error instanceof Error ? error.message : String(error) };
      }
      run.onEnd?.();
      verdicts[index] = verdict;
      run.onVerdict(event, verdict);
    }
  };
  const workers = Math.max(1, Math.min(sink.concurrency, events.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return { ...outcomeOf(events, verdicts, stopped?.releaseFailures ?? false), sinkStopped: stopped };
}

/** A sink that takes groups: `concurrency` events per group, one group at a time, in queue order. */
async function handleInGroups(events: OfflineEvent[], sink: Sink & Pick<Required<Sink>, 'handleGroup'>, run: PageRun): Promise<PageResult> {
  const verdicts: (Verdict | undefined)[] = new Array<Verdict | undefined>(events.length);
  let stopped: SinkStopped | undefined;
  const size = Math.max(1, sink.concurrency);
  for (let start = 0; start < events.length && (run.finishAll || !run.signal.aborted); start += size) {
    const group = events.slice(start, start + size);
    for (let i = 0; i < group.length; i += 1) run.onStart?.();
    let failures: GroupFailures | undefined | void;
    try {
      failures = await sink.handleGroup(group);
    } catch (error) {
      if (!(error instanceof SinkStopped)) throw error;
      stopped = error;
    }
    for (let i = 0; i < group.length; i += 1) run.onEnd?.();
    if (stopped) break;
    group.forEach((event, i) => {
      const verdict = failures?.get(i) ?? HANDLED;
      verdicts[start + i] = verdict;
      run.onVerdict(event, verdict);
    });
  }
  return { ...outcomeOf(events, verdicts, false), sinkStopped: stopped };
}

/** With `releaseFailures` (the sink, not the events, was at fault) failures stay reserved like unattempted events. */
function outcomeOf(events: OfflineEvent[], verdicts: (Verdict | undefined)[], releaseFailures: boolean): PageResult {
  const outcome: PageResult = { handledIds: [], failedMessageIds: [], unattempted: 0, released: 0 };
  events.forEach((event, index) => {
    const verdict = verdicts[index];
    if (!verdict) outcome.unattempted += 1;
    else if (verdict.handled) outcome.handledIds.push(event.ID);
    else if (releaseFailures) outcome.released += 1;
    else outcome.failedMessageIds.push(event.MESSAGE_ID);
  });
  outcome.unattempted += outcome.released;
  return outcome;
}
