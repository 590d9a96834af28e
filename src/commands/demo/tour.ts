import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { maskSecret } from '../../api/redact.js';
import type { Context } from '../../context.js';
import { bufferedIO } from '../../output/io.js';
import type { Sandbox } from '../../sandbox/index.js';
import type { Receiver } from './receiver.js';

/** What one step of the tour did, as `demo --json` reports it. */
export interface StepResult {
  command: string;
  exit_code: number;
  stdout?: string;
  stderr?: string;
}

/** The throwaway world the tour runs in. */
export interface Tour {
  ctx: Context;
  /** the environment of every command the tour runs: the temporary config folder, never the user's */
  env: NodeJS.ProcessEnv;
  folder: string;
  sandbox: Sandbox;
  receiver: Receiver;
  results: StepResult[];
}

/** The main job in a dozen real commands, each shown as `$ b24-events …` and followed by its own output. */
export async function runTour(tour: Tour): Promise<void> {
  const hook = `${tour.receiver.url}/b24/deal`;
  await step(tour, ['status']);
  await step(tour, ['events', '--scope', 'crm', '--grep', 'DEALADD']);
  await step(tour, ['bind', 'ONCRMDEALADD', hook]);
  await step(tour, ['bind', 'ONCRMDEALUPDATE', '--offline']);
  await portalChanges(tour);
  await step(tour, ['handlers']);
  await step(tour, ['offline', 'list']);
  await step(tour, ['offline', 'drain']);
  const manifest = writeManifest(tour, hook);
  await step(tour, ['plan', '-f', manifest]);
  await step(tour, ['apply', '-f', manifest]);
  await step(tour, ['unbind', 'ONCRMDEALADD', hook]);
}

/** Runs one command line in this process on the tour's portal; human output goes straight to the terminal. */
async function step(tour: Tour, argv: string[], expected = 0): Promise<void> {
  const { ctx } = tour;
  const command = ['b24-events', ...argv].map(shellWord).join(' ');
  const run = ctx.runLine;
  if (!run) throw new Error('the demo needs the in-process runner');
  if (ctx.globals.json) {
    const io = bufferedIO();
    const code = await run(argv, { io, env: tour.env, signal: ctx.signal });
    tour.results.push({ command, exit_code: code, stdout: io.stdout.text(), stderr: io.stderr.text() });
  } else {
    ctx.printer.line(`\n${ctx.printer.palette.accent(`$ ${command}`)}`);
    tour.results.push({ command, exit_code: await run(argv, { io: ctx.io, env: tour.env, signal: ctx.signal }) });
  }
  const last = tour.results.at(-1);
  if (last && last.exit_code !== expected) throw new StepFailed(command, last.exit_code);
}

/** A step failed: the tour stops there. */
export class StepFailed extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number,
  ) {
    super(`${command} exited ${exitCode}`);
  }
}

/** The portal raises a deal's creation and a change: the local handler gets a POST, the queue a record. */
async function portalChanges(tour: Tour): Promise<void> {
  const { ctx, sandbox, receiver } = tour;
  sandbox.trigger('ONCRMDEALADD', { FIELDS: { ID: '7' } }, { userId: 1 });
  sandbox.trigger('ONCRMDEALUPDATE', { FIELDS: { ID: '7' } }, { userId: 1 });
  const delivery = await receiver.next();
  const fields = delivery.fields.map(([key, value]) => `${key}=${/token/.test(key) ? maskSecret(value) : value}`);
  tour.results.push({ command: '(the portal: deal 7 created and changed)', exit_code: 0, stdout: `${delivery.path} ${fields.join(' ')}\n` });
  if (ctx.globals.json) return;
  ctx.printer.line(`\n${ctx.printer.palette.muted('# On the portal deal 7 is created, then changed. The local handler is sent:')}`);
  ctx.printer.line(`POST ${delivery.path}`);
  for (const field of fields) ctx.printer.line(`  ${field}`);
  ctx.printer.line(ctx.printer.palette.muted('# …and the change waits in the offline queue:'));
}

function writeManifest(tour: Tour, hook: string): string {
  const file = join(tour.folder, 'b24-events.json');
  const manifest = {
    version: 1,
    bindings: [
      { event: 'ONCRMDEALADD', handler: hook },
      { event: 'ONCRMLEADADD', handler: `${tour.receiver.url}/b24/lead` },
      { event: 'ONCRMDEALUPDATE', offline: true },
    ],
  };
  // one binding a line: short enough to read in the tour, and still the JSON plan reads
  const text = `{ "version": 1, "bindings": [\n${manifest.bindings.map((binding) => `  ${JSON.stringify(binding)}`).join(',\n')}\n] }\n`;
  writeFileSync(file, text);
  if (!tour.ctx.globals.json) {
    tour.ctx.printer.line(`\n${tour.ctx.printer.palette.muted(`# The bindings as code, in ${file}:`)}`);
    tour.ctx.printer.line(text.trimEnd());
  }
  return file;
}

/** An argument as a shell would need it typed. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
