import type { CliError } from '../errors.js';
import { terminalSafe } from './sanitize.js';

/**
 * The single stderr line for a failure, `error: what happened — what to do` (plus a redacted stack
 * with --debug). `label` colours the `error:` prefix on a terminal.
 */
export function formatError(error: CliError, redact: (text: string) => string, debug: boolean, label: (text: string) => string = (text) => text): string {
  const hint = error.hint ? ` — ${error.hint}` : '';
  let text = `${label('error:')} ${terminalSafe(redact(`${error.message}${hint}`).replace(/\s*\n\s*/g, ' '))}\n`;
  if (debug) {
    const origin = error.cause instanceof Error ? error.cause : error;
    text += terminalSafe(redact(origin.stack ?? String(origin))) + '\n';
  }
  return text;
}
