import { checkbox, confirm, input, password, select } from '@inquirer/prompts';
import type { Context } from '../context.js';
import { InterruptedError } from '../errors.js';
import type { Prompter } from './prompter.js';
import { searchCheckbox } from './search-checkbox.js';

/** Prompts on stderr, so stdout stays clean for data even in interactive runs. */
export function inquirerPrompter(ctx: Context): Prompter {
  const context = (signal?: AbortSignal) => ({
    input: ctx.io.stdin,
    output: ctx.io.stderr,
    signal: signal ? AbortSignal.any([ctx.signal, signal]) : ctx.signal,
  });
  const guard = async <T>(ask: () => Promise<T>): Promise<T> => {
    try {
      return await ask();
    } catch (error) {
      const { name, cause } = error as { name?: string; cause?: unknown };
      if (name === 'ExitPromptError' || (name === 'AbortPromptError' && ctx.signal.aborted)) throw new InterruptedError('cancelled');
      // Stopped by the caller's own signal: hand back the reason it aborted with.
      if (name === 'AbortPromptError' && cause instanceof Error) throw cause;
      throw error;
    }
  };
  return {
    input: ({ signal, ...opts }) => guard(() => input(opts, context(signal))),
    password: (opts) => guard(() => password({ ...opts, mask: '*' }, context())),
    confirm: (opts) => guard(() => confirm(opts, context())),
    select: (opts) => guard(() => select(opts, context())),
    checkbox: (opts) => guard(() => checkbox(opts, context())),
    searchCheckbox: <T extends string>(opts: Parameters<Prompter['searchCheckbox']>[0]) => guard(async () => (await searchCheckbox(opts, context())) as T[]),
  };
}
