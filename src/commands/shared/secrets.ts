import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';

interface SecretFlags {
  clientSecret?: string | undefined;
  refreshToken?: string | undefined;
  accessToken?: string | undefined;
  applicationToken?: string | undefined;
}

const ENV: Record<keyof SecretFlags, string> = {
  clientSecret: 'B24_CLIENT_SECRET',
  refreshToken: 'B24_REFRESH_TOKEN',
  accessToken: 'B24_ACCESS_TOKEN',
  applicationToken: 'B24_APPLICATION_TOKEN',
};

/**
 * Secrets: flag > environment variable > stdin (a flag value of "-"), so none has to appear in
 * the process list. Every value found is registered for redaction.
 */
export async function resolveSecrets(ctx: Context, flags: SecretFlags): Promise<SecretFlags> {
  const keys = Object.keys(ENV) as (keyof SecretFlags)[];
  const fromStdin = keys.filter((key) => flags[key] === '-');
  if (fromStdin.length > 1) throw new UsageError('only one secret can be read from stdin', { hint: 'pass the others through their environment variables' });
  const result: SecretFlags = {};
  for (const key of keys) {
    const fromEnv = flags[key] === undefined && Boolean(ctx.env[ENV[key]]);
    const value = flags[key] === '-' ? await readStdin(ctx, key) : (flags[key] ?? ctx.env[ENV[key]]);
    if (value) result[key] = value.trim();
    ctx.redactor.add(result[key]);
    // A token picked up from the environment is spent like a flag's: say where it came from.
    if (fromEnv && key !== 'clientSecret') ctx.printer.note(`using ${ENV[key]} from the environment`);
  }
  return result;
}

const LABELS: Record<keyof SecretFlags, string> = {
  clientSecret: 'Client secret',
  refreshToken: 'Refresh token',
  accessToken: 'Access token',
  applicationToken: 'Application token',
};

/** "-": the secret from a pipe, or, typed at a terminal, through a masked prompt (never echoed). */
async function readStdin(ctx: Context, key: keyof SecretFlags): Promise<string> {
  if (ctx.io.stdinIsTTY && ctx.canPrompt) {
    const prompter = await ctx.prompter();
    const typed = await prompter.password({ message: `${LABELS[key]}:`, validate: (text) => (text.trim() ? true : 'enter the value, or press Ctrl-C') });
    if (!typed.trim()) throw new UsageError(`no ${LABELS[key].toLowerCase()} was entered`);
    return typed.trim();
  }
  if (ctx.io.stdinIsTTY)
    throw new UsageError('"-" reads a secret from stdin, but stdin is a terminal', { hint: 'pipe it in: … --client-secret - < secret.txt' });
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) throw new UsageError('stdin was empty, but a secret was expected there');
  return text;
}
