import type { Prompter } from '../../src/prompts/prompter.js';

type Kind = keyof Prompter;
/** One expected question: its kind, a pattern its message must match, and the answer. */
export interface Answer {
  kind: Kind;
  message?: RegExp;
  answer: unknown;
}

export interface ScriptedPrompter extends Prompter {
  /** every question asked, in order, with the choices it offered */
  readonly asked: { kind: Kind; message: string; choices?: { name: string; value: unknown }[] }[];
  /** answers not used yet */
  readonly remaining: number;
}

/**
 * A prompter that answers from a script and fails on any question it does not expect, so a test
 * proves which questions were asked, in which order, and nothing more.
 */
export function scriptedPrompter(script: Answer[]): ScriptedPrompter {
  const queue = [...script];
  const asked: ScriptedPrompter['asked'][number][] = [];
  const ask = (kind: Kind) => (opts: { message: string; choices?: { name: string; value: unknown }[] }) => {
    asked.push({ kind, message: opts.message, ...(opts.choices ? { choices: opts.choices } : {}) });
    const next = queue.shift();
    if (!next || next.kind !== kind || (next.message && !next.message.test(opts.message))) {
      return Promise.reject(new Error(`unexpected ${kind} prompt "${opts.message}" (expected ${next ? `${next.kind} ${next.message ?? ''}` : 'none'})`));
    }
    return Promise.resolve(next.answer);
  };
  return {
    asked,
    get remaining() {
      return queue.length;
    },
    input: ask('input') as Prompter['input'],
    password: ask('password') as Prompter['password'],
    confirm: ask('confirm') as Prompter['confirm'],
    select: ask('select') as Prompter['select'],
    checkbox: ask('checkbox') as Prompter['checkbox'],
    searchCheckbox: ask('searchCheckbox') as Prompter['searchCheckbox'],
  };
}

/** Terminals everywhere and no CI: what a person at a terminal has. */
export const interactive = {
  tty: { stdinIsTTY: true, stdoutIsTTY: true, stderrIsTTY: true, columns: 120 },
  env: { CI: undefined },
} as const;
