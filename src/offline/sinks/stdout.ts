import type { Writable } from 'node:stream';
import { writeFlushed } from '../../output/io.js';
import { SinkStopped, type OfflineEvent, type Sink } from '../types.js';

/**
 * NDJSON on a stream, one record per line as the portal returned it. A record counts as handled
 * once its line is written and flushed; a failed write means the reader is gone, so the sink stops
 * and the record stays reserved rather than being flagged as failed.
 */
export function stdoutSink(stream: Writable): Sink {
  return {
    concurrency: 1,
    async handle(event: OfflineEvent) {
      try {
        await writeFlushed(stream, `${JSON.stringify(event)}\n`);
        return { handled: true };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        throw new SinkStopped(`stdout was closed (${code})`);
      }
    },
    async close() {},
  };
}
