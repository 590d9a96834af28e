import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './cli.js';

/**
 * The built CLI in a real pseudo-terminal (a private tmux server): keys go in with send-keys, the
 * screen comes back with capture-pane. Waits poll the screen against a deadline, never a fixed sleep.
 */
export interface Terminal {
  /** Types text literally (no key names). */
  type(text: string): void;
  /** Presses tmux keys: 'Enter', 'C-c', 'Down', 'Up', 'Space', 'Tab', 'BSpace'. */
  press(...keys: string[]): void;
  /** Types a line and presses Enter. */
  answer(text: string): void;
  /** Everything the terminal has shown so far, wrapped lines joined. */
  screen(): string;
  /** Resolves once `pattern` is on screen `count` times (default 1); throws with the screen on timeout. */
  waitFor(pattern: string | RegExp, options?: { count?: number; timeoutMs?: number }): Promise<string>;
  /** Waits until a prompt asking `message` is active (its line starts with "? "), not just any text. */
  prompt(message: string, options?: { timeoutMs?: number }): Promise<string>;
  /** The process's exit code, once it has exited. */
  exitCode(timeoutMs?: number): Promise<number>;
  close(): void;
}

let sessions = 0;

function tmux(socket: string, args: string[], env?: NodeJS.ProcessEnv): string {
  const result = spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', ...(env ? { env } : {}) });
  if (result.error) throw new Error(`tmux is required for the terminal tests (apt-get install tmux): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`tmux ${args[0]} failed: ${result.stderr}`);
  return result.stdout;
}

/** Starts `b24-events ARGS` in a 200×50 terminal with exactly `env` (plus TERM). */
export function startTerminal(args: string[], env: Record<string, string>): Terminal {
  const dir = mkdtempSync(join(tmpdir(), 'b24-events-tty-'));
  const socket = `b24t-${process.pid}-${(sessions += 1)}`;
  const exitFile = join(dir, 'exit-code');
  const conf = join(dir, 'tmux.conf');
  writeFileSync(conf, 'set -g remain-on-exit on\nset -g history-limit 20000\nset -g status off\n');
  // A Ctrl-C outside a prompt is a SIGINT to the whole foreground group: the shell traps it (its
  // child still gets the default disposition) so it lives on to record the exit code.
  const script = `trap : INT; "$0" "$@"; echo $? > '${exitFile}'`;
  tmux(socket, ['-f', conf, 'new-session', '-d', '-s', 'cli', '-x', '200', '-y', '50', 'sh', '-c', script, process.execPath, BIN, ...args], {
    ...env,
    TERM: 'xterm-256color',
  });
  const screen = () => tmux(socket, ['capture-pane', '-p', '-J', '-S', '-', '-E', '-', '-t', 'cli']);
  const occurrences = (text: string, pattern: string | RegExp) =>
    typeof pattern === 'string'
      ? text.split(pattern).length - 1
      : (text.match(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`)) ?? []).length;
  return {
    type: (text) => void tmux(socket, ['send-keys', '-t', 'cli', '-l', '--', text]),
    press: (...keys) => void tmux(socket, ['send-keys', '-t', 'cli', ...keys]),
    answer(text) {
      this.type(text);
      this.press('Enter');
    },
    screen,
    async waitFor(pattern, { count = 1, timeoutMs = 15_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = screen();
        if (occurrences(text, pattern) >= count) return text;
        if (Date.now() > deadline || existsSync(exitFile)) {
          if (occurrences(screen(), pattern) >= count) return screen();
          throw new Error(`timed out waiting for ${String(pattern)}${existsSync(exitFile) ? ' (the process exited)' : ''}; screen:\n${text}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    prompt(message, options = {}) {
      return this.waitFor(new RegExp(`^\\? ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'), options);
    },
    async exitCode(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!existsSync(exitFile) || !readFileSync(exitFile, 'utf8').trim()) {
        if (Date.now() > deadline) throw new Error(`the process did not exit; screen:\n${screen()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return Number(readFileSync(exitFile, 'utf8').trim());
    },
    close() {
      spawnSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The environment of an interactive run: like `baseEnv` but without CI, so prompts are allowed. */
export function terminalEnv(configDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: configDir, B24_EVENTS_CONFIG_DIR: configDir, NO_COLOR: '1', LANG: 'C.UTF-8', BROWSER: 'none', ...extra };
}
