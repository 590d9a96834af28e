import { Readable, type Writable } from 'node:stream';
import type { Command } from 'commander';
import { createProgram } from './cli.js';
import { commandTable } from './commands/registry.js';
import { Context } from './context.js';

/** Help is rendered without a width limit; whoever prints it lays it out for the terminal (`wrapHelp`). */
const RENDER_ENV = { COLUMNS: '1000000', NO_COLOR: '1' };

/**
 * Every command's `--help`, exactly as commander prints it, keyed by the command's path ("offline
 * drain"; aliases too). The build writes it to dist/help.json and bin/b24-events.js answers
 * `X Y --help` and `help X Y` from it without loading the program (a subcommand's module would load
 * zod for its option schema, and some more): help stays as fast as `node -e 0`.
 */
export async function renderHelp(): Promise<Record<string, string>> {
  const texts: Record<string, string> = {};
  for (const entry of commandTable) {
    let out = '';
    const ctx = new Context(
      captureIO((text) => (out += text)),
      { ...RENDER_ENV },
    );
    const program = await createProgram(ctx, [entry.name]);
    const walk = (command: Command, paths: string[]) => {
      out = '';
      command.outputHelp();
      for (const path of paths) texts[path] = out;
      for (const sub of command.commands)
        walk(
          sub,
          namesOf(sub).flatMap((name) => paths.map((path) => `${path} ${name}`)),
        );
    };
    const command = program.commands.find((candidate) => candidate.name() === entry.name);
    if (command) walk(command, namesOf(command));
  }
  return texts;
}

function namesOf(command: Command): string[] {
  return [command.name(), ...command.aliases()];
}

/** Streams that keep what is written, synchronously (help is captured right after it was printed). */
function captureIO(write: (text: string) => void) {
  const sink = (into: (text: string) => void) => ({ write: (text: string) => (into(text), true) }) as unknown as Writable;
  return { stdout: sink(write), stderr: sink(() => {}), stdin: Readable.from([]), stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false, columns: 80 };
}
