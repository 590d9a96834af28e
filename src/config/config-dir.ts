import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The OS config folder for b24-events: `$XDG_CONFIG_HOME/b24-events` (default `~/.config`) on
 * Linux, `~/Library/Preferences/b24-events` on macOS, `%APPDATA%\b24-events\Config` on Windows.
 */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'b24-events');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'b24-events', 'Config');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'b24-events');
}
