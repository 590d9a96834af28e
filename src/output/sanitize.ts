/**
 * Portal-supplied text (handler URLs, event names, error descriptions) reaches the terminal through
 * the printer, and a portal or a proxy can put anything in it: escape sequences that move the
 * cursor, retitle the window or clear the screen, a carriage return that overwrites the line, bidi
 * overrides that make `gnp.exe` read as `exe.png`. These become visible escapes (`\x1b`, `\u202e`).
 */

/** C0 and C1 controls, DEL, and the bidi embeddings, overrides, isolates and marks. */
const UNSAFE = '\\x00-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';

/** A colour (SGR) sequence, which the printer's own palette writes; every other escape is text. */
const TERMINAL = new RegExp(`\\x1b\\[[0-9;]*m|(?![\\t\\n])[${UNSAFE}]`, 'g');
const CELL = new RegExp(`[\\\\${UNSAFE}]`, 'g');
/** Outside the ASCII controls JSON.stringify already escapes; in JSON text they occur only inside strings. */
const JSON_UNSAFE = /[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** For text printed on a terminal or a log: tabs, newlines and colours kept, every other control escaped. */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL, (match) => (match.length > 1 ? match : escapeChar(match)));
}

/** For one table cell on a terminal: a cell stays on its line, so tabs and newlines are escaped too. */
export function terminalCell(text: string): string {
  return terminalSafe(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/** For one TSV field: also tab, newline and backslash escaped, so a field stays one field. */
export function tsvSafe(text: string): string {
  return text.replace(CELL, (char) => TSV_ESCAPES[char] ?? escapeChar(char));
}

/** JSON text with the invisible and direction-changing characters as \u escapes: the same document. */
export function jsonSafe(json: string): string {
  return json.replace(JSON_UNSAFE, (char) => `\\u${hex(char, 4)}`);
}

const TSV_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeChar(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${hex(char, 2)}` : `\\u${hex(char, 4)}`;
}

function hex(char: string, width: number): string {
  return char.charCodeAt(0).toString(16).padStart(width, '0');
}
