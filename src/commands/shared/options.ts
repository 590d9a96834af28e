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
 * naming the flag (never a zod path such as `messageId.0`), so bad input changes nothing.
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = issue?.path[0];
  const flag = typeof key === 'string' ? `--${kebabCase(key)}: ` : '';
  throw new UsageError(`${flag}${issue?.message ?? 'invalid options'}`);
}

const schemas = new WeakMap<Command, z.ZodObject>();

/**
 * Wires a command's action: its positional arguments (by their camel-cased names) and its flags are
 * validated together by the command's zod schema, and `run` gets the result. The schema stays
 * attached to the command, so a test can check that every flag has a schema key and vice versa.
 */
export function withOptions<S extends z.ZodObject>(command: Command, schema: S, run: (opts: z.infer<S>) => Promise<void>): Command {
  schemas.set(command, schema);
  return command.action(async (...args: unknown[]) => {
    const names = command.registeredArguments.map((argument) => camelCase(argument.name()));
    const flags = args[names.length] as Record<string, unknown>;
    const positional = Object.fromEntries(names.map((name, i) => [name, args[i]]));
    await run(parseOptions(schema, { ...flags, ...positional }));
  });
}

/** The schema `withOptions` attached to a command, if any. */
export function optionsSchemaOf(command: Command): z.ZodObject | undefined {
  return schemas.get(command);
}

function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
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
