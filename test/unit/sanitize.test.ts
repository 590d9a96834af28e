import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonSafe, terminalCell, terminalSafe, tsvSafe } from '../../src/output/sanitize.js';

test('terminal text: controls and bidi overrides become visible escapes; tabs, newlines and colours stay', () => {
  assert.equal(terminalSafe('a\u001b]0;title\u0007b'), 'a\\x1b]0;title\\x07b');
  assert.equal(terminalSafe('x\ry\u0085z\u007f'), 'x\\x0dy\\x85z\\x7f');
  assert.equal(terminalSafe('evil\u202egnp.exe \u2066i\u2069 \u200f'), 'evil\\u202egnp.exe \\u2066i\\u2069 \\u200f');
  assert.equal(terminalSafe('\u001b[1mbold\u001b[22m\tand\nnext'), '\u001b[1mbold\u001b[22m\tand\nnext');
  assert.equal(terminalSafe('\u001b[2J'), '\\x1b[2J', 'only colour sequences pass');
  assert.equal(terminalSafe('plain ✓ → ü 中文'), 'plain ✓ → ü 中文');
});

test('a table cell stays on its line; a TSV field stays one field', () => {
  assert.equal(terminalCell('a\nb\tc'), 'a\\nb\\tc');
  assert.equal(tsvSafe('a\\b\tc\nd\re\u001b[31m\u202e'), 'a\\\\b\\tc\\nd\\re\\x1b[31m\\u202e');
});

test('JSON text keeps its value: overrides and C1 controls become \\u escapes', () => {
  const value = { handler: 'https://x.example.com/\u202egnp.exe\u0085\u2028' };
  const text = jsonSafe(JSON.stringify(value));
  assert.doesNotMatch(text, /[\u0085\u2028\u202e]/);
  assert.deepEqual(JSON.parse(text), value);
});
