import type { Writable } from 'node:stream';
import { writeFlushed } from '../../output/io.js';
import { HANDLED, SinkStopped, type OfflineEvent, type Sink } from '../types.js';

/** Records per write: few syscalls and promises per event, little in the pipe when the reader stops. */
const GROUP = 128;

/**
 * NDJSON on a stream, one record per line as the portal returned it, in queue order, a group of
 * records per `write()`. A record counts as handled once the write of its group completed (flushed to
 * the OS); a failed write means the reader is gone, so the sink stops and the records of that group
 * and later ones stay reserved rather than being flagged as failed.
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
  return {
    concurrency: GROUP,
    async handle(event: OfflineEvent) {
      await write(`${JSON.stringify(event)}\n`);
      return HANDLED;
    },
    async handleGroup(events: OfflineEvent[]) {
      let text = '';
      for (const event of events) text += `${JSON.stringify(event)}\n`;
      await write(text);
    },
    async close() {},
  };
}
