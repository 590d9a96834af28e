import type { Command, Option } from 'commander';

/** Where completion finds values that are not in the command tree (read only when wanted). */
export interface CompletionSources {
  profiles(): Promise<string[]>;
  events(): Promise<string[]>;
}

/** What the shell should offer: words, or its own file-name completion. */
export type Completion = { words: string[] } | { files: true };

/** Commands whose `<name>` argument is a saved profile. */
const PROFILE_ARGUMENT = new Set(['profile use', 'profile show', 'profile remove']);
/** Options whose value is a file the shell can complete. */
const FILE_OPTIONS = new Set(['file', 'output', 'configDir']);

/**
 * The completions for the last word of `words` (the command line after `b24-events`), found by
 * walking commander's own command tree, so nothing is kept by hand: subcommands, flags (the
 * command's and the global ones), values of `--profile` and `--event`, files for `-f`/`-o`.
 */
export async function complete(root: Command, globals: Option[], words: string[], sources: CompletionSources): Promise<Completion> {
  const current = words.at(-1) ?? '';
  let command = root;
  let pending: Option | undefined;
  let positionals = 0;
  for (const word of words.slice(0, -1)) {
    if (pending) {
      pending = undefined;
      continue;
    }
    if (word.startsWith('-')) {
      const option = findOption(command, globals, word);
      if (option && takesValue(option) && !word.includes('=')) pending = option;
      continue;
    }
    const sub = visible(command).find((c) => c.name() === word || c.aliases().includes(word));
    if (sub) {
      command = sub;
      positionals = 0;
    } else positionals += 1;
  }
  if (pending) return valuesOf(pending, current, sources);
  if (current.startsWith('-')) return matching(flagsOf(command === root ? [] : command.options, globals), current);
  if (visible(command).length > 0)
    return matching(
      visible(command).map((c) => c.name()),
      current,
    );
  const argument = command.registeredArguments[positionals];
  if (argument?.name() === 'event') return matching(await sources.events(), current.toUpperCase());
  if (argument?.name() === 'name' && PROFILE_ARGUMENT.has(`${command.parent?.name() ?? ''} ${command.name()}`))
    return matching(await sources.profiles(), current);
  return matching(argument?.argChoices ?? [], current);
}

async function valuesOf(option: Option, current: string, sources: CompletionSources): Promise<Completion> {
  const name = option.attributeName();
  if (FILE_OPTIONS.has(name)) return { files: true };
  if (name === 'profile') return matching(await sources.profiles(), current);
  if (name === 'event') return matching(await sources.events(), current.toUpperCase());
  return matching(option.argChoices ?? [], current);
}

function visible(command: Command): Command[] {
  return command.commands.filter((c) => c.name() !== 'help' && !c.name().startsWith('__'));
}

function flagsOf(own: readonly Option[], globals: Option[]): string[] {
  return [...own, ...globals].flatMap((option) => [option.long, option.short].filter((flag): flag is string => Boolean(flag)));
}

function findOption(command: Command, globals: Option[], word: string): Option | undefined {
  const flag = word.split('=')[0];
  return [...command.options, ...globals].find((option) => option.long === flag || option.short === flag);
}

function takesValue(option: Option): boolean {
  return option.required || option.optional;
}

function matching(candidates: string[], prefix: string): Completion {
  return { words: [...new Set(candidates)].filter((candidate) => candidate.startsWith(prefix)).sort() };
}
