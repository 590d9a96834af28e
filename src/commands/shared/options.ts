import type { Command } from 'commander';
import type { z } from 'zod';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';

/** Adds a command built outside the program, inheriting output, help and exit settings. */
export function attach(parent: Command, child: Command): void {
  const inherit = (command: Command, from: Command) => {
    command.copyInheritedSettings(from);
    for (const sub of command.commands) inherit(sub, command);
  };
  inherit(child, parent);
  parent.addCommand(child);
}

/** Help text block with examples, shown after the options. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  ${line}`).join('\n')}\n`;
}

/**
 * Validates a command's options with its zod schema; the first problem becomes a usage error
 * naming the flag, so bad input changes nothing.
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  const flag = path ? `--${path.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ` : '';
  throw new UsageError(`${flag}${issue?.message ?? 'invalid options'}`);
}

/**
 * Destructive actions ask first; without a terminal they need --yes. Returns false when the user
 * declines (the caller then stops without changing anything).
 */
export async function confirmDestructive(ctx: Context, question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!ctx.canPrompt) {
    throw new UsageError('--yes is required when not running interactively', { hint: `${question.replace(/\?$/, '')}: re-run with --yes to confirm` });
  }
  const prompter = await ctx.prompter();
  return prompter.confirm({ message: question, default: false });
}
