#!/usr/bin/env node
'use strict';
// Entry shim (CommonJS: the cheapest module kind to start). `--version` and help are answered here,
// before anything else loads: root help (dist/root-help.txt) and every command's help (dist/help.json,
// keyed by the command's path) were rendered by commander at build time and are laid out for the terminal.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const args = process.argv.slice(2);
const only = args.length === 1 ? args[0] : undefined;

function cached(relative) {
  try {
    return readFileSync(join(__dirname, relative), 'utf8');
  } catch {
    return undefined;
  }
}

function laidOut(text) {
  if (text === undefined) return undefined;
  const { wrapHelp, helpWidth } = require('../dist/src/output/help-layout.cjs');
  return wrapHelp(text, helpWidth(process.stdout.isTTY, process.stdout.columns, process.env));
}

/** `offline drain --help`, `offline drain -h` and `help offline drain`: the command path, else undefined. */
function helpPath() {
  const path = args[0] === 'help' ? args.slice(1) : ['--help', '-h'].includes(args.at(-1)) ? args.slice(0, -1) : undefined;
  return path && path.length > 0 && path.every((word) => /^[a-z][a-z-]*$/.test(word)) ? path.join(' ') : undefined;
}

function commandHelp(path) {
  const texts = cached('../dist/help.json');
  if (texts === undefined) return undefined;
  return laidOut(JSON.parse(texts)[path]);
}

function fastAnswer() {
  if (only === '--version' || only === '-V' || only === 'version') return `${JSON.parse(cached('../package.json')).version}\n`;
  if (process.env.B24_EVENTS_NO_HELP_CACHE) return undefined;
  if (only === '--help' || only === '-h' || only === 'help') return laidOut(cached('../dist/root-help.txt'));
  const path = helpPath();
  return path === undefined ? undefined : commandHelp(path);
}

const fast = fastAnswer();
if (fast !== undefined) {
  process.stdout.write(fast);
} else {
  import('../dist/src/bin.js')
    .then(({ main }) => main())
    .then((code) => {
      process.exitCode = code;
    });
}
