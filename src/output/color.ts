import type * as chalkTypes from 'chalk';

type ChalkModule = typeof chalkTypes;

/** chalk, once `loadColor` found that colour is possible at all (start-up: most runs print no colour). */
let chalkModule: ChalkModule | undefined;

/**
 * Loads chalk only where colour can be on: a terminal on stdout or stderr, or FORCE_COLOR, and no
 * NO_COLOR. Runs before `colorLevels`/`createPalette`, which answer "no colour" without it.
 */
export async function loadColor(env: NodeJS.ProcessEnv, ttys: { stdoutIsTTY: boolean; stderrIsTTY: boolean }): Promise<void> {
  if ((env.NO_COLOR ?? '') !== '' || chalkModule) return;
  if (ttys.stdoutIsTTY || ttys.stderrIsTTY || forcedColor(env)) chalkModule = await import('chalk');
}

function forcedColor(env: NodeJS.ProcessEnv): boolean {
  return env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
}

export interface ColorPolicyInput {
  env: NodeJS.ProcessEnv;
  /** false when `--no-color` was given */
  colorFlag: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
}

/**
 * Colour is on only for a TTY, and off whenever NO_COLOR (any non-empty value) or `--no-color` says
 * so. chalk handles FORCE_COLOR itself but ignores NO_COLOR, hence this policy.
 */
export function colorLevels(input: ColorPolicyInput): { stdout: 0 | 1 | 2 | 3; stderr: 0 | 1 | 2 | 3 } {
  if (!input.colorFlag || (input.env.NO_COLOR ?? '') !== '' || !chalkModule) return { stdout: 0, stderr: 0 };
  const forced = forcedColor(input.env);
  const level = (support: ChalkModule['supportsColor'], tty: boolean) => (support && (tty || forced) ? support.level : forced ? 1 : 0);
  return { stdout: level(chalkModule.supportsColor, input.stdoutIsTTY), stderr: level(chalkModule.supportsColorStderr, input.stderrIsTTY) };
}

/** Semantic palette, so commands say what a word is rather than which colour it gets. */
export interface Palette {
  success(text: string): string;
  warn(text: string): string;
  error(text: string): string;
  muted(text: string): string;
  bold(text: string): string;
  accent(text: string): string;
}

const plain = (text: string) => text;
const PLAIN: Palette = { success: plain, warn: plain, error: plain, muted: plain, bold: plain, accent: plain };

export function createPalette(level: 0 | 1 | 2 | 3): Palette {
  if (level === 0 || !chalkModule) return PLAIN;
  const chalk = new chalkModule.Chalk({ level });
  return {
    success: (t) => chalk.green(t),
    warn: (t) => chalk.yellow(t),
    error: (t) => chalk.red(t),
    muted: (t) => chalk.dim(t),
    bold: (t) => chalk.bold(t),
    accent: (t) => chalk.cyan(t),
  };
}
