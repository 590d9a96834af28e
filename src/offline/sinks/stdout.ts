import type { Writable } from 'node:stream';
import { writeFlushed } from '../../output/io.js';
import { HANDLED, SinkStopped, type GroupFailures, type OfflineEvent, type Sink, type Verdict } from '../types.js';
import { recordJson } from './record.js';

/** Records per write: few syscalls and promises per event, little in the pipe when the reader stops. */
const GROUP = 128;

/**
 * NDJSON on a stream, one record per line as the portal returned it, in queue order, a group of
 * records per `write()`. A record counts as handled once the write of its group completed (flushed to
 * the OS); a failed write means the reader is gone, so the sink stops and the records of that group
 * and later ones stay reserved rather than being flagged as failed. A record that cannot be written as
 * JSON fails on its own (see recordJson); the others of its group are written.
 */
export function stdoutSink(stream: Writable): Sink {
  let stopped: SinkStopped | undefined;
  const write = async (text: string) => {
    if (stopped) throw stopped;
    try {
      await writeFlushed(stream, text);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw (stopped = new SinkStopped(`stdout was closed (${code})`));
    }
  };
  const writeGroup = async (events: OfflineEvent[]): Promise<GroupFailures | undefined> => {
    let text = '';
    try {
      for (const event of events) text += `${JSON.stringify(event)}\n`;
    } catch {
      // a record too deep for JSON.stringify: the group again one by one, without it
      const { text: rest, failures } = lineByLine(events);
      if (rest !== '') await write(rest);
      return failures;
    }
    await write(text);
    return undefined;
  };
  return {
    concurrency: GROUP,
    async handle(event: OfflineEvent): Promise<Verdict> {
      const failures = await writeGroup([event]);
      return failures?.get(0) ?? HANDLED;
    },
    handleGroup: (events: OfflineEvent[]) => writeGroup(events),
    async close() {},
  };
}

function lineByLine(events: OfflineEvent[]): { text: string; failures: Map<number, Verdict & { handled: false }> } {
  let text = '';
  const failures = new Map<number, Verdict & { handled: false }>();
  events.forEach((event, i) => {
    const json = recordJson(event);
    if (typeof json === 'string') text += `${json}\n`;
    else failures.set(i, json);
  });
  return { text, failures };
}
