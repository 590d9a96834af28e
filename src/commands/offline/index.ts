import { Command } from 'commander';
import type { Context } from '../../context.js';
import { attach } from '../shared/options.js';
import { clearCommand } from './clear.js';
import { drainCommand } from './drain.js';
import { errorCommand } from './error.js';
import { listCommand } from './list.js';

export function register(program: Command, ctx: Context): void {
  const offline = new Command('offline')
    .description('Work with the offline event queue: list it, drain it without loss, flag and confirm records')
    .addCommand(listCommand(ctx))
    .addCommand(drainCommand(ctx))
    .addCommand(clearCommand(ctx))
    .addCommand(errorCommand(ctx));
  attach(program, offline);
}
