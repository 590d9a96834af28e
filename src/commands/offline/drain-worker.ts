import { dirname } from 'node:path';
import type { CredentialSource } from '../../config/credentials.js';
import type { WorkerState } from '../../config/worker-state.js';
import type { Context } from '../../context.js';
import { CliError } from '../../errors.js';
import type { DrainOptions } from './drain.js';

/** A worker's name: what goes into a file name in the config folder. */
export const WORKER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The drain's worker (`--worker NAME`, or the first free name of profile, connector and selection):
 * claimed before the first request, so two live drains never share one. At most once leaves nothing
 * reserved, so it keeps no state.
 */
export async function claimWorker(opts: DrainOptions, ctx: Context, eventName: string | undefined): Promise<WorkerState | undefined> {
  if (opts.atMostOnce) return undefined;
  const source = await ctx.credentialSource();
  const configDir = dirname((await ctx.store()).path);
  const queue = [source.profile.portal, `connector ${opts.connector ?? '(none)'}`, opts.errors ? 'error rows' : 'records', eventName]
    .filter(Boolean)
    .join(', ');
  const { WorkerBusyError, WorkerQueueError, WorkerState } = await import('../../config/worker-state.js');
  try {
    if (opts.worker) return await WorkerState.claim(configDir, opts.worker, queue);
    return await WorkerState.claimFree(configDir, defaultName(source, opts, eventName), queue);
  } catch (error) {
    if (error instanceof WorkerBusyError) {
      const pid = error.owner ? ` (pid ${error.owner.pid} on ${error.owner.host})` : '';
      throw new CliError(`worker ${error.worker} is already running${pid}`, undefined, {
        hint: 'give this drain another --worker NAME, or leave --worker out to get a free name',
      });
    }
    if (error instanceof WorkerQueueError) {
      throw new CliError(`worker ${error.worker} still answers for ${error.batches} reserved batch(es) of another queue (${error.queue})`, undefined, {
        hint: `drain that queue with --worker ${error.worker} to finish them, or give this drain another --worker NAME`,
      });
    }
    throw error;
  }
}

function defaultName(source: CredentialSource, opts: DrainOptions, eventName: string | undefined): string {
  const parts = [source.kind === 'profile' ? source.name : 'env', opts.connector, opts.errors && 'errors', eventName?.toLowerCase()];
  const name = parts
    .filter(Boolean)
    .join('-')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^[^A-Za-z0-9]/, 'w');
  return name.slice(0, 56); // room for "-NN"
}

/** The drain's `holding` hook: the state file follows what it answers for; a failed write is said once and the drain goes on. */
export function stateSaver(worker: WorkerState | undefined, ctx: Context): ((processIds: string[]) => void) | undefined {
  if (!worker) return undefined;
  let warned = false;
  return (processIds) => {
    try {
      worker.save(processIds);
    } catch (error) {
      if (warned) return;
      warned = true;
      const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      ctx.printer.warn(
        `cannot save the state of worker ${worker.name} (${why}): a restart will not resume its batches by itself; --follow drains reclaim them after --reclaim-after, or run --resume`,
      );
    }
  };
}
