import { Chalk, supportsColor, supportsColorStderr, type ChalkInstance } from 'chalk';

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
  if (!input.colorFlag || (input.env.NO_COLOR ?? '') !== '') return { stdout: 0, stderr: 0 };
  const forced = input.env.FORCE_COLOR !== undefined && input.env.FORCE_COLOR !== '0' && input.env.FORCE_COLOR !== 'false';
  const level = (support: typeof supportsColor, tty: boolean) => (support && (tty || forced) ? support.level : forced ? 1 : 0);
  return { stdout: level(supportsColor, input.stdoutIsTTY), stderr: level(supportsColorStderr, input.stderrIsTTY) };
}

/** Semantic palette, so commands say what a word is rather than which colour it gets. */
export interface Palette {
  readonly chalk: ChalkInstance;
  success(text: string): string;
  warn(text: string): string;
  error(text: string): string;
  muted(text: string): string;
  bold(text: string): string;
  accent(text: string): string;
}

export function createPalette(level: 0 | 1 | 2 | 3): Palette {
  const chalk = new Chalk({ level });
  return {
    chalk,
    success: (t) => chalk.green(t),
    warn: (t) => chalk.yellow(t),
    error: (t) => chalk.red(t),
    muted: (t) => chalk.dim(t),
    bold: (t) => chalk.bold(t),
    accent: (t) => chalk.cyan(t),
  };
}
