import { Argument, Command } from 'commander';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { attach, examples, withOptions } from '../shared/options.js';
import { scripts, SHELLS } from './scripts.js';

export const completionOptionsSchema = z.object({ shell: z.enum(SHELLS) });
export type CompletionOptions = z.infer<typeof completionOptionsSchema>;

/** `completion SHELL`: the shell's completion script on stdout (it asks `b24-events __complete` on Tab). */
export function runCompletion(opts: CompletionOptions, ctx: Context): Promise<void> {
  if (ctx.globals.json) ctx.printer.printJson({ shell: opts.shell, script: scripts[opts.shell] });
  else ctx.io.stdout.write(scripts[opts.shell]);
  return Promise.resolve();
}

export function completionCommand(ctx: Context, run = runCompletion): Command {
  const command = new Command('completion')
    .description('Print the shell completion script (commands, flags, profiles, event names, files)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(SHELLS))
    .addHelpText(
      'after',
      `${examples(
        'eval "$(b24-events completion bash)"                     # bash: add to ~/.bashrc',
        'eval "$(b24-events completion zsh)"                      # zsh: add to ~/.zshrc, after compinit',
        'b24-events completion fish > ~/.config/fish/completions/b24-events.fish',
      )}
Event names come from the last \`b24-events events\` run on this machine (it keeps a cache next to the
config file); profile names from the config file.
`,
    );
  return withOptions(command, completionOptionsSchema, (opts) => run(opts, ctx));
}

export function register(program: Command, ctx: Context): void {
  attach(program, completionCommand(ctx));
}
