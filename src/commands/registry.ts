import type { Command } from 'commander';
import type { Context } from '../context.js';

/** A command module adds its command (and subcommands) to the program. */
export interface CommandModule {
  register(program: Command, ctx: Context): void;
}

export interface CommandEntry {
  name: string;
  aliases?: string[];
  summary: string;
  load: () => Promise<CommandModule>;
}

/**
 * Every top-level command, with the summary root `--help` shows. Only the invoked command's module
 * is imported, so start-up stays light whatever the command count.
 */
export const commandTable: CommandEntry[] = [
  { name: 'demo', summary: 'See the tool at work on a throwaway local portal (a few seconds)', load: () => import('./demo/demo.js') },
  { name: 'init', summary: 'Set up a portal step by step (guided; flags skip the questions)', load: () => import('./init/init.js') },
  { name: 'login', summary: 'Re-authorize a saved profile (browser, code or refresh token)', load: () => import('./login/login.js') },
  { name: 'status', summary: 'Check the credentials and show what the portal allows', load: () => import('./status/status.js') },
  { name: 'events', summary: 'List the events the application can bind', load: () => import('./events/events.js') },
  { name: 'bind', summary: 'Bind a handler URL (or the offline queue) to an event', load: () => import('./bind/bind.js') },
  { name: 'unbind', summary: 'Remove handlers from an event, or a URL from every event', load: () => import('./unbind/unbind.js') },
  { name: 'handlers', aliases: ['list'], summary: "List the application's registered handlers", load: () => import('./handlers/handlers.js') },
  { name: 'plan', summary: 'Compare a manifest of bindings with the portal', load: () => import('./plan/plan.js') },
  { name: 'apply', summary: 'Make the portal match a manifest of bindings', load: () => import('./apply/apply.js') },
  { name: 'export', summary: "Write the portal's bindings as a manifest", load: () => import('./export/export.js') },
  {
    name: 'trigger',
    summary: 'Send an event to a local handler exactly as Bitrix24 does, or raise it on a sandbox',
    load: () => import('./trigger/trigger.js'),
  },
  {
    name: 'listen',
    summary: 'Receive events on this machine: queued for this session, delivered to a local handler as Bitrix24 would',
    load: () => import('./listen/listen.js'),
  },
  { name: 'offline', summary: 'List, drain (without loss), flag and confirm the offline event queue', load: () => import('./offline/index.js') },
  { name: 'profile', summary: 'Manage saved portal credentials (profiles)', load: () => import('./profile/index.js') },
  { name: 'completion', summary: 'Print the shell completion script (bash, zsh, fish)', load: () => import('./completion/completion.js') },
  { name: 'sandbox', summary: 'Run a local test portal to try the tool without a Bitrix24 portal', load: () => import('./sandbox/sandbox.js') },
];

/** Finds the command the user invoked, skipping global options and their values. */
export function invokedEntry(argv: string[]): CommandEntry | undefined {
  const withValue = new Set(['--profile', '--config-dir', '--timeout', '--fields']);
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--') return undefined;
    if (withValue.has(arg)) {
      i += 1;
      continue;
    }
    if (arg.startsWith('-')) continue;
    const name = arg === 'help' ? argv[i + 1] : arg;
    return commandTable.find((entry) => entry.name === name || entry.aliases?.includes(name ?? ''));
  }
  return undefined;
}
