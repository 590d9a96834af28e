/**
 * The only way commands ask questions. Commands call it only when `ctx.canPrompt`; tests inject a
 * scripted implementation. Cancelling (Ctrl-C) rejects with `InterruptedError`; a prompt stopped by
 * the caller's own `signal` rejects with that signal's reason.
 */
export interface Prompter {
  input(opts: { message: string; default?: string; validate?: (value: string) => true | string; signal?: AbortSignal }): Promise<string>;
  password(opts: { message: string; validate?: (value: string) => true | string }): Promise<string>;
  confirm(opts: { message: string; default?: boolean }): Promise<boolean>;
  select<T extends string>(opts: { message: string; choices: { name: string; value: T; description?: string }[]; default?: T }): Promise<T>;
  checkbox<T extends string>(opts: { message: string; choices: { name: string; value: T; checked?: boolean }[] }): Promise<T[]>;
  /** A checkbox list with type-to-filter, for long lists such as event names. */
  searchCheckbox<T extends string>(opts: { message: string; choices: { name: string; value: T; checked?: boolean }[]; pageSize?: number }): Promise<T[]>;
}
