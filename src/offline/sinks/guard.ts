import { SinkStopped, type Sink, type Verdict } from '../types.js';

/** Failures in a row, with the same reason and no success before them, that prove the sink wrong. */
export const SAME_FAILURE_LIMIT = 5;

/**
 * A handler that has never succeeded and keeps failing the same way (a wrong URL answering 404, a
 * command whose script is missing) is not the events' fault: stop the drain instead of flagging the
 * queue. The stop releases the page's failures too, so the whole page stays reserved for --resume.
 * `diagnosis` names the likely mistake ("the URL looks wrong").
 */
export function guardMisconfiguration(sink: Sink, diagnosis: string): Sink {
  let succeeded = false;
  let streak = { reason: '', count: 0 };
  const judge = (verdict: Verdict): Verdict => {
    // a record that cannot be written as JSON says nothing about the handler
    if (!verdict.handled && verdict.recordFault) return verdict;
    if (verdict.handled) {
      succeeded = true;
      return verdict;
    }
    streak = streak.reason === verdict.reason ? { reason: verdict.reason, count: streak.count + 1 } : { reason: verdict.reason, count: 1 };
    if (!succeeded && streak.count >= SAME_FAILURE_LIMIT) {
      const message = `${verdict.reason} for the first ${streak.count} events: ${diagnosis}, so nothing was flagged (the page stays reserved)`;
      throw new SinkStopped(message, { releaseFailures: true });
    }
    return verdict;
  };
  return {
    concurrency: sink.concurrency,
    handle: async (event) => judge(await sink.handle(event)),
    close: () => sink.close(),
  };
}
