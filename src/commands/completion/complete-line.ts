import { Command, type Option } from 'commander';
import { cachedEventNames } from '../../config/event-cache.js';
import type { Context } from '../../context.js';
import type { CommandEntry } from '../registry.js';
import { complete } from './candidates.js';

/**
 * `b24-events __complete WORDS…` (what the shell scripts call on Tab): loads the whole command tree
 * and prints the candidates for the last word, one a line, or `:files`. A config file that cannot be
 * read only means no profile or event names: a completion never spills errors into the prompt.
 */
export async function completeCommandLine(ctx: Context, table: CommandEntry[], globals: Option[], words: string[]): Promise<void> {
  const tree = new Command('b24-events');
  // Only the command being typed is loaded (a Tab must be quick); the others are just names.
  const typed = words.slice(0, -1);
  const invoked = table.find((entry) => typed.some((word) => word === entry.name || entry.aliases?.includes(word)));
  for (const entry of table) {
    if (entry === invoked) (await entry.load()).register(tree, ctx);
    else tree.command(entry.name).aliases(entry.aliases ?? []);
  }
  // The config file is read only when a profile or event name is wanted.
  const saved = () => savedNames(ctx);
  const result = await complete(tree, globals, words.length > 0 ? words : [''], {
    profiles: async () => (await saved()).profiles,
    events: async () => (await saved()).events,
  });
  ctx.io.stdout.write('files' in result ? ':files\n' : result.words.map((word) => `${word}\n`).join(''));
}

async function savedNames(ctx: Context): Promise<{ profiles: string[]; events: string[] }> {
  try {
    const store = await ctx.store();
    return { profiles: Object.keys(store.read().profiles), events: cachedEventNames(store.path) };
  } catch {
    return { profiles: [], events: [] };
  }
}
