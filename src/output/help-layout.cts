// CommonJS on purpose: the bin/ shim requires it to lay out the cached root help without loading
// anything else, and the program uses the same function for every help it renders.

/** Columns a description keeps at least before it moves under the line's own indent instead. */
const MIN_DESCRIPTION = 30;

/**
 * Fits help text rendered without a width limit to `width` columns, the way commander lays help
 * out: a long line continues under its description column (or under its own indent), breaking only
 * between words, so no word is cut and a URL stays whole.
 */
function wrapHelp(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => wrapLine(line, width))
    .join('\n');
}

function wrapLine(line: string, width: number): string {
  if (line.length <= width) return line;
  const lead = line.length - line.trimStart().length;
  // "  --flag <value>    description": continue under the description, unless that is too far right
  const head = /^ +\S.*? {2,}(?=\S)/.exec(line)?.[0] ?? ' '.repeat(lead);
  const indent = width - head.length >= MIN_DESCRIPTION ? head.length : lead + 4;
  const [first = '', ...rest] = line.slice(head.length).split(/ +/);
  const lines: string[] = [];
  let current = head + first;
  for (const word of rest) {
    if (current.length + 1 + word.length > width) {
      lines.push(current);
      current = ' '.repeat(indent) + word;
    } else current += ` ${word}`;
  }
  lines.push(current);
  return lines.join('\n');
}

/** The width help is laid out for: the terminal's; off a terminal COLUMNS, or commander's usual 80. */
function helpWidth(isTTY: boolean | undefined, columns: number | undefined, env: NodeJS.ProcessEnv): number {
  if (isTTY && columns) return columns;
  const fromEnv = Number(env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 80;
}

export = { wrapHelp, helpWidth };
