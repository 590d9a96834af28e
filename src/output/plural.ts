/** "1 binding", "3 bindings"; `plural` for nouns that do not just add an s. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
