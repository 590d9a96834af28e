#!/usr/bin/env node
'use strict';
// Entry shim (CommonJS: the cheapest module kind to start). `--version` and root `--help` are answered
// here, before anything else loads; root help was rendered by commander at build time (dist/root-help.txt).
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

function rootHelp() {
  const text = cached('../dist/root-help.txt');
  if (text === undefined) return undefined;
  const { wrapHelp, helpWidth } = require('../dist/src/output/help-layout.cjs');
  return wrapHelp(text, helpWidth(process.stdout.isTTY, process.stdout.columns, process.env));
}

const fast =
  only === '--version' || only === '-V' || only === 'version'
    ? `${JSON.parse(cached('../package.json')).version}\n`
    : (only === '--help' || only === '-h') && !process.env.B24_EVENTS_NO_HELP_CACHE
      ? rootHelp()
      : undefined;

if (fast !== undefined) {
  process.stdout.write(fast);
} else {
  import('../dist/src/bin.js')
    .then(({ main }) => main())
    .then((code) => {
      process.exitCode = code;
    });
}
