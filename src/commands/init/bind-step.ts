import type { Context } from '../../context.js';
import { CliError, ExitCode } from '../../errors.js';
import { toCliError } from '../../error-report.js';
import { bindMany, getHandlers, listEvents } from '../../api/events.js';
import { explainUnknownEvent } from '../shared/event-hints.js';
import { printHandlers } from '../shared/handlers-view.js';
import { terminalSafe } from '../../output/sanitize.js';
import { describeBinding } from '../shared/binding-view.js';
import { checkHandlerUrl, normalizeEventName, unreachableWarning } from '../../bindings/validate.js';
import type { Wizard } from './wizard.js';

export interface BindRow {
  event: string;
  status: 'bound' | 'already-bound' | 'failed';
  error?: string;
}

/**
 * Step 6: binds events right away (a searchable checkbox list from `events`, then online with a
 * handler URL or offline) and shows `handlers`. Runs on the saved profile.
 */
export async function bindStep(w: Wizard): Promise<BindRow[]> {
  const { ctx, opts } = w;
  if (opts.bind === false || (!w.interactive && !opts.bind)) return [];
  const prompter = w.interactive ? await ctx.prompter() : undefined;
  if (prompter && opts.bind === undefined && !(await prompter.confirm({ message: 'Bind events now?', default: true }))) {
    ctx.printer.note('Bind them later with `b24-events bind EVENT URL` (list them with `b24-events events`).');
    return [];
  }
  const client = await ctx.client();
  let events =
    typeof opts.bind === 'string'
      ? opts.bind
          .split(',')
          .filter((e) => e.trim())
          .map(normalizeEventName)
      : [];
  if (prompter && events.length === 0) {
    const available = await listEvents(client);
    // names come from the portal: escaped for the terminal, the value sent back as it came
    events = await prompter.searchCheckbox({ message: 'Events to bind:', choices: available.map((name) => ({ name: terminalSafe(name), value: name })) });
  }
  if (events.length === 0) {
    ctx.printer.note('No events selected; nothing bound.');
    return [];
  }
  const target = await deliveryTarget(w);
  const outcomes = await bindMany(
    client,
    events.map((event) => ({ event, ...target })),
  );
  const rows: BindRow[] = await Promise.all(
    outcomes.map(async (outcome, i): Promise<BindRow> => {
      const event = events[i] ?? '';
      if (outcome.ok) return { event, status: outcome.status === 'already-bound' ? 'already-bound' : 'bound' };
      // the same explanation `bind` gives (misspelt, or outside the application's scopes)
      const explained = toCliError(await explainUnknownEvent(client, outcome.error, event));
      return { event, status: 'failed', error: explained.hint ? `${explained.message} — ${explained.hint}` : explained.message };
    }),
  );
  if (!ctx.globals.json) await showBindings(ctx, rows, target);
  return rows;
}

async function deliveryTarget(w: Wizard): Promise<{ handler?: string; offline: boolean }> {
  const { ctx, opts } = w;
  if (opts.bindOffline) return { offline: true };
  let url = opts.bindUrl;
  if (!url) {
    const prompter = await ctx.prompter();
    const mode = await prompter.select({
      message: 'How should the portal deliver them?',
      choices: [
        { name: 'Online: POST each event to my handler URL', value: 'online' as const },
        { name: 'Offline: keep them in the offline queue (administrator only)', value: 'offline' as const },
      ],
    });
    if (mode === 'offline') return { offline: true };
    url = await prompter.input({ message: 'Handler URL:', validate: (value) => validUrl(value) });
  }
  const handler = checkHandlerUrl(url.trim());
  const warning = unreachableWarning(handler, (await ctx.client()).portal);
  if (warning) ctx.printer.warn(warning);
  return { handler, offline: false };
}

function validUrl(value: string): true | string {
  try {
    checkHandlerUrl(value.trim());
    return true;
  } catch (error) {
    return error instanceof CliError ? `${error.message}${error.hint ? ` — ${error.hint}` : ''}` : String(error);
  }
}

async function showBindings(ctx: Context, rows: BindRow[], target: { handler?: string; offline: boolean }): Promise<void> {
  for (const row of rows) {
    const what = describeBinding({ event: row.event, ...target });
    if (row.status === 'bound') ctx.printer.success(`Bound ${what}`);
    else if (row.status === 'already-bound') ctx.printer.note(`${what} is already bound`);
    else ctx.printer.warn(ctx.redactor.text(`${what}: ${row.error ?? 'failed'}`));
  }
  ctx.printer.note('\nHandlers registered now:');
  await printHandlers(ctx, await getHandlers(await ctx.client()), 'No handlers are bound');
}

/** Failed binds make the run fail (exit 1) after everything else was shown. */
export function bindFailure(rows: BindRow[]): CliError | undefined {
  const failed = rows.filter((row) => row.status === 'failed');
  if (failed.length === 0) return undefined;
  return new CliError(`${failed.length} of ${rows.length} events could not be bound`, ExitCode.failure, {
    hint: 'the profile is saved; fix the cause and retry with `b24-events bind`',
  });
}
