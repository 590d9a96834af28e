/** What stands in for each non-ASCII sign the CLI prints when the terminal's locale is not UTF-8. */
const ASCII: Record<string, string> = { '✓': 'OK', '→': '->', '←': '<-', '—': '--', '–': '-', '…': '...', '·': '|', '≤': '<=', '≥': '>=' };
const SIGNS = new RegExp(`[${Object.keys(ASCII).join('')}]`, 'g');

/**
 * Whether the locale can show ✓ → — …: the first of LC_ALL, LC_CTYPE, LANG that is set decides (a C
 * or POSIX locale cannot). With none set, Windows consoles can, others fall back to C (ASCII).
 */
export function localeIsUtf8(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG;
  if (!locale) return platform === 'win32';
  return /utf-?8/i.test(locale);
}

/** The text with those signs in ASCII. */
export function asciiSigns(text: string): string {
  return text.replace(SIGNS, (sign) => ASCII[sign] ?? sign);
}
