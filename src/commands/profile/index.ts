import { Command } from 'commander';
import type { Context } from '../../context.js';
import { attach } from '../shared/options.js';
import { profileAddCommand } from './add.js';
import { profileListCommand } from './list.js';
import { profileRemoveCommand } from './remove.js';
import { profileShowCommand } from './show.js';
import { profileUseCommand } from './use.js';

export function register(program: Command, ctx: Context): void {
  const profile = new Command('profile')
    .description('Manage saved portal credentials (profiles)')
    .addCommand(profileAddCommand(ctx))
    .addCommand(profileListCommand(ctx))
    .addCommand(profileShowCommand(ctx))
    .addCommand(profileUseCommand(ctx))
    .addCommand(profileRemoveCommand(ctx));
  attach(program, profile);
}
