import { checkbox, confirm, input, password, select } from '@inquirer/prompts';
import type { Context } from '../context.js';
import { InterruptedError } from '../errors.js';
import type { Prompter } from './prompter.js';

/** Prompts on stderr, so stdout stays clean for data even in interactive runs. */
export function inquirerPrompter(ctx: Context): Prompter {
  const context = { input: ctx.io.stdin, output: ctx.io.stderr, signal: ctx.signal };
  const guard = async <T>(ask: () => Promise<T>): Promise<T> => {
    try {
      return await ask();
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'ExitPromptError' || name === 'AbortPromptError') throw new InterruptedError('cancelled');
      throw error;
    }
  };
  return {
    input: (opts) => guard(() => input(opts, context)),
    password: (opts) => guard(() => password({ ...opts, mask: '*' }, context)),
    confirm: (opts) => guard(() => confirm(opts, context)),
    select: (opts) => guard(() => select(opts, context)),
    checkbox: (opts) => guard(() => checkbox(opts, context)),
  };
}
