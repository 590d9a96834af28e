// Flags and schemas: every command's commander flags and its zod schema name the same options (they
// are declared apart, so they could drift), and gh-style parse tests through the `run` seam.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { commandTable } from '../../src/commands/registry.js';
import { optionsSchemaOf } from '../../src/commands/shared/options.js';
import { Context } from '../../src/context.js';
import { bindCommand, type BindOptions } from '../../src/commands/bind/bind.js';
import { drainCommand } from '../../src/commands/offline/drain.js';
import { unbindCommand } from '../../src/commands/unbind/unbind.js';
import { UsageError } from '../../src/errors.js';
import { testIO } from '../helpers/io.js';

const context = () => new Context(testIO(), {});

async function everyCommand(): Promise<Command[]> {
  const program = new Command('b24-events');
  const ctx = context();
  for (const entry of commandTable) (await entry.load()).register(program, ctx);
  const walk = (command: Command): Command[] => [command, ...command.commands.flatMap(walk)];
  return program.commands.flatMap(walk);
}

const pathOf = (command: Command): string => (command.parent && command.parent.name() !== 'b24-events' ? `${pathOf(command.parent)} ` : '') + command.name();
const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

test('every command: its flags and arguments are exactly its schema keys', async () => {
  const commands = await everyCommand();
  assert.ok(commands.length >= 20, `found ${commands.length} commands`);
  for (const command of commands) {
    // `--bind <events>` and `--no-bind` share one key
    const declared = [
      ...new Set([...command.options.map((option) => option.attributeName()), ...command.registeredArguments.map((a) => camel(a.name()))]),
    ].sort();
    const schema = optionsSchemaOf(command);
    if (!schema) {
      assert.deepEqual(declared, [], `${pathOf(command)} declares ${declared.join(', ')} but has no options schema`);
      continue;
    }
    assert.deepEqual(declared, Object.keys(schema.shape).sort(), `${pathOf(command)}: flags and schema disagree`);
  }
});

/** Parses argv through a command built with a stub `run`, as gh's `newCmdX(f, runF)` tests do. */
async function parsed<T>(build: (ctx: Context, run: (opts: T) => Promise<void>) => Command, argv: string[]): Promise<T> {
  let captured: T | undefined;
  const command = build(context(), (opts) => {
    captured = opts;
    return Promise.resolve();
  });
  command.exitOverride();
  await command.parseAsync(argv, { from: 'user' });
  assert.ok(captured, 'run was called');
  return captured;
}

test('bind: positional arguments and flags arrive typed and trimmed', async () => {
  const opts = await parsed<BindOptions>(bindCommand, ['onCrmDealAdd', ' https://hooks.example.com/x ', '--auth-type', '7', '--strict']);
  assert.deepEqual(opts, { event: 'onCrmDealAdd', handlerUrl: 'https://hooks.example.com/x', offline: false, authType: 7, strict: true });
  const offline = await parsed<BindOptions>(bindCommand, ['ONCRMDEALUPDATE', '--offline', '--connector', 'erp']);
  assert.equal(offline.offline, true);
  assert.equal(offline.connector, 'erp');
  assert.equal(offline.handlerUrl, undefined);
});

test('a flag value the schema refuses is a usage error naming the flag, before run', async () => {
  await assert.rejects(parsed(bindCommand, ['ONCRMDEALADD', 'https://hooks.example.com/x', '--auth-type', 'admin']), (error: Error) => {
    assert.ok(error instanceof UsageError);
    assert.equal(error.message, '--auth-type: must be a user id (a whole number)');
    return true;
  });
});

test('unbind and offline drain: defaults come from the schema', async () => {
  const unbind = await parsed<Record<string, unknown>>(unbindCommand, ['ONCRMDEALADD', 'https://hooks.example.com/x']);
  assert.equal(unbind.event, 'ONCRMDEALADD');
  assert.equal(unbind.handlerUrl, 'https://hooks.example.com/x');
  const drain = await parsed<Record<string, unknown>>(drainCommand, ['--exec', 'cat', '--concurrency', '3']);
  assert.equal(drain.exec, 'cat');
  assert.equal(drain.concurrency, 3);
  assert.equal(drain.follow, false);
});
