#!/usr/bin/env node
// Entry shim. `--version` and root `--help` are answered here, before any module loads, to keep the
// most common probes instant; root help was rendered by commander at build time (dist/root-help.txt).
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const only = args.length === 1 ? args[0] : undefined;

function cached(relative) {
  try {
    return readFileSync(new URL(relative, import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
}

const fast =
  only === '--version' || only === '-V'
    ? `${JSON.parse(cached('../package.json')).version}\n`
    : (only === '--help' || only === '-h') && !process.env.B24_EVENTS_NO_HELP_CACHE
      ? cached('../dist/root-help.txt')
      : undefined;

if (fast !== undefined) {
  process.stdout.write(fast);
} else {
  const { main } = await import('../dist/src/bin.js');
  process.exitCode = await main();
}
