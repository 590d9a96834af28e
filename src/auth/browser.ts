import { spawn } from 'node:child_process';

/**
 * Tries to open `url` in the user's browser and reports whether it tried. `BROWSER=none` (or an
 * empty `BROWSER`) opts out; another `BROWSER` value is the command to run. Without a graphical
 * session on Linux nothing is started, because xdg-open would fall back to a text browser inside
 * this very terminal. Failure is silent: the caller always prints the address as well.
 */
export function openBrowser(url: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  const command = browserCommand(url, env, platform);
  if (!command) return false;
  try {
    const child = spawn(command[0] ?? '', command.slice(1), { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined); // no opener installed: the printed address is enough
    child.unref();
    return true;
  } catch {
    return false;
  }
}

/** The command line that opens `url`, or undefined when no browser should be started. */
export function browserCommand(url: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] | undefined {
  if (env.BROWSER !== undefined) {
    const words = env.BROWSER.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0 || words[0]?.toLowerCase() === 'none') return undefined;
    return words.some((w) => w.includes('%s')) ? words.map((w) => w.replace('%s', url)) : [...words, url];
  }
  if (platform === 'darwin') return ['open', url];
  // `start` is a cmd built-in that re-parses "&" in URLs; the URL handler takes the address verbatim.
  if (platform === 'win32') return ['rundll32', 'url.dll,FileProtocolHandler', url];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined;
  return ['xdg-open', url];
}
