import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { B24Client } from './api/client.js';
import { defaultConfigDir, noCredentialsError } from './config/config-dir.js';
import type { CredentialSource } from './config/credentials.js';
import type { Context } from './context.js';

/**
 * The command's session, with the credentials resolved before the HTTP stack loads: with no --profile,
 * no B24_PORTAL / B24_PROFILE and no config file at all, one look at the disk says there are none
 * (neither the config schema nor undici is loaded); otherwise the store resolves them first.
 */
export async function openSession(ctx: Context): Promise<{ client: B24Client; source: CredentialSource }> {
  if (!ctx.globals.profile && !ctx.env.B24_PORTAL && !ctx.env.B24_PROFILE && noConfigFile(ctx.configDir)) throw noCredentialsError();
  const store = await ctx.store();
  const { resolveCredentialSource } = await import('./config/credentials.js');
  const source = resolveCredentialSource(store, ctx.env, ctx.globals.profile);
  const { createSession } = await import('./config/session-factory.js');
  return createSession(ctx, ctx.globals.profile, source);
}

/** Whether the config store's file plainly does not exist; any other trouble with it is for the store to report. */
function noConfigFile(configDir: string | undefined): boolean {
  const file = join(resolve(configDir ?? defaultConfigDir()), 'config.json');
  try {
    statSync(file);
    return false;
  } catch (error) {
    // only ENOENT: Node 22's throwIfNoEntry also hides ENOTDIR, which the store must report
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
