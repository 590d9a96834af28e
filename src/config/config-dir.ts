import { homedir } from 'node:os';
import { AuthError } from '../errors.js';
import { join } from 'node:path';

/**
 * The OS config folder for b24-events: `$XDG_CONFIG_HOME/b24-events` (default `~/.config`) on
 * Linux, `~/Library/Preferences/b24-events` on macOS, `%APPDATA%\b24-events\Config` on Windows.
 */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'b24-events');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'b24-events', 'Config');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'b24-events');
}

/** The error when nothing at all says where credentials are (kept here: the start-up path shows it without loading the config schema). */
export function noCredentialsError(): AuthError {
  return new AuthError('no credentials: no profile is configured and B24_PORTAL is not set', {
    hint: 'run `b24-events init`, or `b24-events profile add NAME --portal … --client-id … --client-secret … --refresh-token …`, or set B24_PORTAL, B24_CLIENT_ID, B24_CLIENT_SECRET and B24_REFRESH_TOKEN',
  });
}
