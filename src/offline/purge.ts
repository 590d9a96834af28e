import type { B24Client } from '../api/client.js';
import { createDrainStats, drainQueue } from './engine.js';
import { OfflineQueue } from './queue.js';
import { HANDLED, type Sink } from './types.js';

/** Accepts everything: the records are confirmed (deleted) without going anywhere. */
const discard: Sink = {
  concurrency: 1000,
  handle: () => Promise.resolve(HANDLED),
  handleGroup: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

/**
 * Empties a queue nobody else reads (a listener's own connector): batches left reserved, unreserved
 * records and error-flagged ones. It goes the safe way, reserve then confirm by id, through the drain
 * engine, so no empty process id is ever sent. Returns how many records were deleted.
 */
export async function purgeQueue(client: B24Client, connector: string, signal: AbortSignal): Promise<number> {
  const queue = new OfflineQueue(client, connector, signal);
  let deleted = 0;
  for (const errors of [false, true]) {
    const stats = createDrainStats();
    const options = { selection: { errors }, batchSize: 1000, follow: false, atMostOnce: false, resume: errors ? undefined : {}, signal };
    await drainQueue(queue, discard, options, {}, stats);
    deleted += stats.handled;
  }
  return deleted;
}
