import { Command, InvalidArgumentError, Option } from 'commander';
import type { Context } from './context.js';
import { exitCodeHelp, UsageError } from './errors.js';
import { parseFieldList } from './output/fields.js';
import { commandTable, invokedEntry } from './commands/registry.js';
import { createRequire } from 'node:module';
import type helpLayout from './output/help-layout.cjs';
import { version } from './version.js';

const environmentHelp = `Environment:
  B24_PROFILE            saved profile to use (--profile wins)
  B24_PORTAL             env-only mode: portal URL; with B24_CLIENT_ID, B24_CLIENT_SECRET,
                         B24_REFRESH_TOKEN and/or B24_ACCESS_TOKEN, B24_OAUTH_SERVER
  B24_EVENTS_CONFIG_DIR  config folder (--config-dir wins)
  B24_RATE_LIMIT         request pacing "2/50" (default), "5/250" (Enterprise) or "off"
  B24_TIMEOUT            per-request timeout in seconds (--timeout wins)
  B24_DEBUG=1            trace requests on stderr, secrets redacted (same as --debug)
  B24_NO_PROMPT=1, CI    never prompt
  NO_COLOR, FORCE_COLOR  colour policy (--no-color wins)`;

/** The help layout (CommonJS, shared with the shim), loaded only when help or a usage error is printed. */
const layout = (): typeof helpLayout => createRequire(import.meta.url)('./output/help-layout.cjs') as typeof helpLayout;

/** Help is rendered without a width limit and laid out for the terminal by `wrapHelp` (as the shim does for the cached root help). */
const UNLIMITED = 1_000_000;

function positiveSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return seconds;
}

/**
 * Builds the program. Output goes through the context's streams and errors are thrown (exitOverride)
 * so only `bin.ts` decides the exit code.
 */
export async function createProgram(ctx: Context, argv: string[]): Promise<Command> {
  const program = new Command('b24-events')
    .description('Administer Bitrix24 REST event handlers: bind, unbind, inspect, and drain the offline queue.')
    .version(version, '-V, --version')
    .option('--json', 'print one JSON document on stdout')
    .option('--fields <list>', 'with JSON output keep only these fields, e.g. event,handler (implies --json)')
    .option('--debug', 'trace requests and replies on stderr (secrets redacted)')
    .option('--no-color', 'disable colour (also NO_COLOR)')
    .addOption(
      new Option('--profile <name>', 'saved profile to use (default: B24_PROFILE, then the default profile); plan/apply take several').argParser(
        (name: string, previous: string[] | undefined) => [...(previous ?? []), name],
      ),
    )
    .option('--config-dir <dir>', 'config folder (default: B24_EVENTS_CONFIG_DIR, then the OS convention)')
    .addOption(new Option('--timeout <seconds>', 'per-request timeout').argParser(positiveSeconds))
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false, helpWidth: UNLIMITED })
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(layout().wrapHelp(text, layout().helpWidth(ctx.io.stdoutIsTTY, ctx.io.columns, ctx.env))),
      writeErr: (text) => ctx.io.stderr.write(layout().wrapHelp(text, layout().helpWidth(ctx.io.stderrIsTTY, ctx.io.columns, ctx.env))),
      // Errors stay one line: written directly, not laid out like help.
      outputError: (text) => ctx.io.stderr.write(`${commanderMessage(text)} — see \`b24-events ${helpPath(program, argv)}--help\`\n`),
    })
    .addHelpText('after', `\n${environmentHelp}\n\n${exitCodeHelp}\n`)
    .hook('preAction', (root) => {
      // Globals come from the root's own options, so a subcommand flag of the same name cannot shadow them.
      const { profile, ...opts } = root.opts<Omit<Partial<Context['globals']>, 'profile' | 'fields'> & { profile?: string[]; fields?: string }>();
      if (profile?.some((name) => name.trim() === '')) throw new UsageError('--profile needs a name', { hint: 'see `b24-events profile list`' });
      if (opts.configDir !== undefined && opts.configDir.trim() === '') throw new UsageError('--config-dir needs a folder');
      // The root consumes every --profile wherever it stands: single-portal commands use the last.
      const fields = typeof opts.fields === 'string' ? parseFieldList(opts.fields) : undefined;
      ctx.globals = { ...ctx.globals, ...opts, json: Boolean(opts.json) || fields !== undefined, fields, profile: profile?.at(-1), profiles: profile ?? [] };
    });
  program.showSuggestionAfterError(true);

  const invoked = invokedEntry(argv);
  for (const entry of commandTable) {
    if (entry === invoked) {
      (await entry.load()).register(program, ctx);
    } else {
      program
        .command(entry.name)
        .aliases(entry.aliases ?? [])
        .description(entry.summary);
    }
  }
  if (argv[0] === '__complete') addCompleteCommand(program, ctx);
  program
    .command('version')
    .description('Print the version (like --version; --json for a document)')
    .action(() => (ctx.globals.json ? ctx.printer.printJson({ version }) : ctx.printer.line(version)));
  return program;
}

/** `__complete -- WORDS…`, what the completion scripts call on Tab (hidden; its module loads only then). */
function addCompleteCommand(program: Command, ctx: Context): void {
  program
    .command('__complete', { hidden: true })
    .argument('[words...]')
    .helpOption(false)
    .action(async (words: string[]) => {
      const { completeCommandLine } = await import('./commands/completion/complete-line.js');
      await completeCommandLine(ctx, commandTable, program.options as Option[], words);
    });
}

/** `help offline drain` is `offline drain --help`: commander's own help command knows one level only. */
export function expandAliases(argv: string[]): string[] {
  return argv[0] === 'help' && argv.length > 1 ? [...argv.slice(1), '--help'] : argv;
}

/** commander's messages in our one-line style: "error: too many arguments for 'sandbox': expected 0 arguments but got 1". */
function commanderMessage(text: string): string {
  return text
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\. ([A-Z])/g, (_, c: string) => `: ${c.toLowerCase()}`)
    .replace(/\.$/, '');
}

/** "profile add " for an error in `profile add …`: the deepest command the arguments name. */
function helpPath(program: Command, argv: string[]): string {
  const entry = invokedEntry(argv);
  if (!entry) return '';
  const top = program.commands.find((command) => command.name() === entry.name);
  const words = argv.filter((arg) => !arg.startsWith('-'));
  const next = words[words.indexOf(entry.name) + 1] ?? words[words.findIndex((word) => entry.aliases?.includes(word)) + 1];
  const sub = top?.commands.find((command) => command.name() === next || command.aliases().includes(next ?? ''));
  return sub ? `${entry.name} ${sub.name()} ` : `${entry.name} `;
}
