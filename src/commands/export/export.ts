import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileError } from '../../fs-errors.js';
import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { z } from 'zod';
import { getHandlers, type BindParams } from '../../api/events.js';
import type { Context } from '../../context.js';
import { CliError, ExitCode, UsageError } from '../../errors.js';
import { fromRecord } from '../../manifest/diff.js';
import { formatOf, serializeManifest } from '../../manifest/format.js';
import type { BindingEntry, Manifest } from '../../manifest/schema.js';
import { describeProblems, validateManifest } from '../../manifest/validate.js';
import { attach, examples, withOptions } from '../shared/options.js';
import { count } from '../../output/plural.js';

export const exportOptionsSchema = z.object({
  output: z.string().min(1, 'must name a file').optional(),
  force: z.boolean().default(false),
});
export type ExportOptions = z.infer<typeof exportOptionsSchema>;

/** A binding as a manifest entry (explicit auth_type, so the round trip is exact). */
export function toEntry(binding: BindParams): BindingEntry {
  if (binding.offline) return { event: binding.event, offline: true, ...(binding.connector ? { connector: escapeVars(binding.connector) } : {}) };
  return { event: binding.event, handler: escapeVars(binding.handler ?? ''), auth_type: binding.authType ?? 0 };
}

/** A literal `${` in a portal value must survive the manifest's own substitution (`$${` = literal). */
function escapeVars(value: string): string {
  return value.replace(/\$\{/g, () => '$${'); // a function: in a replacement string '$$' means '$'
}

/** Sorted by event, then URL or connector, then user, so exports of the same state diff cleanly. */
function sortKey(entry: BindingEntry): string {
  const target = 'handler' in entry ? `0 ${entry.handler} ${String(entry.auth_type ?? 0).padStart(12, '0')}` : `1 ${entry.connector ?? ''}`;
  return `${entry.event} ${target}`;
}

/**
 * Online rows that differ only in auth_connector (an older `bind URL --connector` made them) are one
 * entry: plan matches online bindings by event, URL and user, so that entry covers every copy.
 */
function onceEach(ctx: Context, entries: BindingEntry[]): BindingEntry[] {
  const byKey = new Map<string, { entry: BindingEntry; copies: number }>();
  for (const entry of entries) {
    const key = JSON.stringify(entry);
    const seen = byKey.get(key);
    if (seen) seen.copies += 1;
    else byKey.set(key, { entry, copies: 1 });
  }
  for (const { entry, copies } of byKey.values()) {
    if (copies > 1 && 'handler' in entry) {
      ctx.printer.note(
        `note: ${entry.event} ${entry.handler} is bound ${copies} times, the copies differing only in auth_connector (online handlers ignore it); the manifest lists it once, which covers every copy`,
      );
    }
  }
  return [...byKey.values()].map(({ entry }) => entry);
}

/** The check plan makes (with no variables set: export escapes every `${`), so nothing is written that plan refuses. */
function assertPlanAccepts(manifest: Manifest): void {
  const { problems } = validateManifest(manifest, {});
  if (problems.length === 0) return;
  throw new CliError(`the portal's bindings do not make a valid manifest: ${describeProblems(problems)}; nothing was written`, ExitCode.failure, {
    hint: 'plan would refuse such a manifest: rebind those handlers with `b24-events unbind` and `b24-events bind`, then export again',
  });
}

/** Checked before anything is read from the portal, so a typo in -o changes and costs nothing. */
function assertWritableFolder(file: string): void {
  const folder = dirname(resolve(file));
  try {
    if (!statSync(folder).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw fileError(error, 'write', 'the manifest', file, `${folder} must be an existing, writable folder`);
  }
}

/** `export`: the portal's current bindings as a manifest (JSON on stdout, or a file by its extension). */
export async function runExport(opts: ExportOptions, ctx: Context): Promise<void> {
  if ((ctx.globals.profiles?.length ?? 0) > 1) throw new UsageError('export reads one portal; pass a single --profile');
  const format = opts.output ? formatOf(opts.output, true) : 'json';
  if (opts.output) assertWritableFolder(opts.output);
  if (opts.output && !opts.force && existsSync(opts.output)) {
    // Most likely the hand-written manifest with its ${VAR}s: never replace it silently.
    throw new UsageError(`${opts.output} already exists; nothing was written`, { hint: 'pass --force to replace it, or write to another file' });
  }
  const entries = onceEach(
    ctx,
    (await getHandlers(await ctx.client())).map((record) => toEntry(fromRecord(record))),
  );
  entries.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0)); // code-point order, whatever the locale
  const manifest: Manifest = { version: 1, bindings: entries };
  assertPlanAccepts(manifest);
  if (entries.some((e) => e.event === 'ONOFFLINEEVENT' && !e.offline)) {
    ctx.printer.note('note: the portal does not report options; add "options": {"minTimeout": N} to ONOFFLINEEVENT entries by hand if you use it');
  }
  if (!opts.output) return ctx.printer.printJson(manifest);
  const text = await serializeManifest(manifest, format);
  await writeFile(opts.output, text).catch((error: unknown) => {
    throw fileError(error, 'write', 'the manifest', opts.output ?? '', 'pick a folder that exists and is writable, or leave out -o to print it');
  });
  if (ctx.globals.json) ctx.printer.printJson({ file: opts.output, bindings: entries.length });
  else ctx.printer.success(`Wrote ${count(entries.length, 'binding')} to ${opts.output}`);
}

export function exportCommand(ctx: Context, run = runExport): Command {
  const command = new Command('export')
    .description("Write the portal's current bindings as a manifest for `plan`/`apply`")
    .option('-o, --output <file>', 'write to this file; .json, .yaml or .yml picks the format (default: JSON on stdout)')
    .option('--force', 'replace the --output file if it exists')
    .addHelpText(
      'after',
      examples('b24-events export -o b24-events.json', 'b24-events export -o b24-events.yaml --profile prod', 'b24-events export > snapshot.json'),
    );
  return withOptions(command, exportOptionsSchema, (opts) => run(opts, ctx));
}

export function register(program: Command, ctx: Context): void {
  attach(program, exportCommand(ctx));
}
