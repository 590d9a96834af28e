/**
 * The only way commands ask questions. Commands call it only when `ctx.canPrompt`; tests inject a
 * scripted implementation. Cancelling (Ctrl-C) rejects with `InterruptedError`.
 */
export interface Prompter {
  input(opts: { message: string; default?: string; validate?: (value: string) => true | string }): Promise<string>;
  password(opts: { message: string; validate?: (value: string) => true | string }): Promise<string>;
  confirm(opts: { message: string; default?: boolean }): Promise<boolean>;
  select<T extends string>(opts: { message: string; choices: { name: string; value: T; description?: string }[]; default?: T }): Promise<T>;
  checkbox<T extends string>(opts: { message: string; choices: { name: string; value: T; checked?: boolean }[] }): Promise<T[]>;
}
