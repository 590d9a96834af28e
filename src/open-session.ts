import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { B24Client } from './api/client.js';
import type { CredentialSource } from './config/credentials.js';
import type { Context } from './context.js';
import { AuthError } from './errors.js';

/**
 * The command's session, with the credentials resolved before the HTTP stack loads: with no --profile,
 * no B24_PORTAL / B24_PROFILE and no config file at all, one look at the disk says there are none
 * (neither conf, the config schema nor undici is loaded); otherwise the store resolves them first.
 */
export async function openSession(ctx: Context): Promise<{ client: B24Client; source: CredentialSource }> {
  if (!ctx.globals.profile && !ctx.env.B24_PORTAL && !ctx.env.B24_PROFILE && noConfigFile(ctx.configDir)) {
    // the words of resolveCredentialSource's error, which comes with the config schema (zod)
    throw new AuthError('no credentials: no profile is configured and B24_PORTAL is not set', {
      hint: 'run `b24-events init`, or `b24-events profile add NAME --portal … --client-id … --client-secret … --refresh-token …`, or set B24_PORTAL, B24_CLIENT_ID, B24_CLIENT_SECRET and B24_REFRESH_TOKEN',
    });
  }
  const store = await ctx.store();
  const { resolveCredentialSource } = await import('./config/credentials.js');
  const source = resolveCredentialSource(store, ctx.env, ctx.globals.profile);
  const { createSession } = await import('./config/session-factory.js');
  return createSession(ctx, ctx.globals.profile, source);
}

/** Whether the config store's file plainly does not exist; any other trouble with it is for the store to report. */
function noConfigFile(configDir: string | undefined): boolean {
  const file = configDir ? join(resolve(configDir), 'config.json') : conventionalConfigFile();
  try {
    return statSync(file, { throwIfNoEntry: false }) === undefined;
  } catch {
    return false;
  }
}

/**
 * The file the config store (conf) uses when no folder is given: env-paths' config folder for
 * "b24-events" (no suffix) on this platform, from the process's own environment, as conf computes it.
 * Written out here so that checking for it loads nothing (start-up).
 */
export function conventionalConfigFile(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const name = 'b24-events';
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', name, 'config.json');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), name, 'Config', 'config.json');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), name, 'config.json');
}
