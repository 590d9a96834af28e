import assert from 'node:assert/strict';
import { test } from 'node:test';
import layout from '../../src/output/help-layout.cjs';

const words = (text: string) => text.split(/\s+/).filter(Boolean);

test('wrapHelp: long lines continue under their description column, breaking only between words', () => {
  const text = [
    'Options:',
    '  --fields <list>      with JSON output keep only these fields, e.g. event,handler (implies --json)',
    '  --profile <name>     saved profile to use (default: B24_PROFILE, then the default profile); plan/apply take several',
  ].join('\n');
  const wrapped = layout.wrapHelp(text, 60);
  assert.equal(
    wrapped,
    [
      'Options:',
      '  --fields <list>      with JSON output keep only these',
      '                       fields, e.g. event,handler (implies',
      '                       --json)',
      '  --profile <name>     saved profile to use (default:',
      '                       B24_PROFILE, then the default',
      '                       profile); plan/apply take several',
    ].join('\n'),
  );
  assert.deepEqual(words(wrapped), words(text), 'no word is cut or lost');
});

test('wrapHelp: a word longer than the width (a URL) stays whole on its own line; short lines are untouched', () => {
  const url = `https://hooks.example.com/${'segment/'.repeat(10)}`;
  const wrapped = layout.wrapHelp(`  b24-events bind ONCRMDEALADD ${url}\nshort`, 40);
  assert.ok(wrapped.split('\n').includes(`  ${url}`), wrapped);
  assert.ok(wrapped.endsWith('\nshort'));
});

test('wrapHelp: a description column too far right continues under the line instead', () => {
  const line = `  --a-very-long-option-name-that-takes-space <value>   ${'word '.repeat(12).trim()}`;
  const wrapped = layout.wrapHelp(line, 70).split('\n');
  assert.ok(
    wrapped.slice(1).every((next) => next.startsWith('      w')),
    wrapped.join('\n'),
  );
  assert.ok(wrapped.every((next) => next.length <= 70 || !next.trim().includes(' ')));
});

test('helpWidth: the terminal width; off a terminal COLUMNS, else 80', () => {
  assert.equal(layout.helpWidth(true, 132, {}), 132);
  assert.equal(layout.helpWidth(false, 132, { COLUMNS: '64' }), 64);
  assert.equal(layout.helpWidth(false, undefined, { COLUMNS: 'wide' }), 80);
});
