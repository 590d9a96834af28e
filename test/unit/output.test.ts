import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { colorLevels, createPalette } from '../../src/output/color.js';
import { renderTable } from '../../src/output/table.js';
import type { IO } from '../../src/output/io.js';

function io(tty: boolean): IO {
  return { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), stdoutIsTTY: tty, stderrIsTTY: tty, stdinIsTTY: tty, columns: 80 };
}

test('colour policy: NO_COLOR and --no-color always win; no colour off a TTY unless forced', () => {
  const tty = { stdoutIsTTY: true, stderrIsTTY: true };
  assert.deepEqual(colorLevels({ env: { NO_COLOR: '1', FORCE_COLOR: '3' }, colorFlag: true, ...tty }), { stdout: 0, stderr: 0 });
  assert.deepEqual(colorLevels({ env: { FORCE_COLOR: '3' }, colorFlag: false, ...tty }), { stdout: 0, stderr: 0 });
  assert.deepEqual(colorLevels({ env: {}, colorFlag: true, stdoutIsTTY: false, stderrIsTTY: false }), { stdout: 0, stderr: 0 });
  assert.ok(colorLevels({ env: { FORCE_COLOR: '1' }, colorFlag: true, stdoutIsTTY: false, stderrIsTTY: false }).stdout > 0);
  assert.deepEqual(colorLevels({ env: { NO_COLOR: '' }, colorFlag: true, stdoutIsTTY: false, stderrIsTTY: false }), { stdout: 0, stderr: 0 });
});

test('tables: TSV without header when piped, escaping tabs and newlines', async () => {
  const text = await renderTable(
    io(false),
    createPalette(0),
    [
      { header: 'A', value: (r: string[]) => r[0] },
      { header: 'B', value: (r: string[]) => r[1] },
    ],
    [['x\ty', 'multi\nline']],
  );
  assert.equal(text, 'x\\ty\tmulti\\nline\n');
});

test('tables on a TTY: headers, no cli-table3 default red/grey when colour is off', async () => {
  const text = await renderTable(io(true), createPalette(0), [{ header: 'EVENT', value: (r: string) => r }], ['ONCRMDEALADD']);
  assert.match(text, /EVENT/);
  assert.match(text, /ONCRMDEALADD/);
  assert.doesNotMatch(text, /\u001b\[/, 'no ANSI escapes at level 0');
  const coloured = await renderTable(io(true), createPalette(1), [{ header: 'EVENT', value: (r: string) => r }], ['X']);
  assert.doesNotMatch(coloured, /\u001b\[31m/, 'never the default red header');
  assert.match(coloured, /\u001b\[1mEVENT/, 'our bold header');
});

test('tables on a TTY fit the terminal width by wrapping the widest column', async () => {
  const narrow = { ...io(true), columns: 60 };
  const url = `https://hooks.example.com/${'very-long-path-segment/'.repeat(5)}`;
  const text = await renderTable(
    narrow,
    createPalette(0),
    [
      { header: 'EVENT', value: (r: string[]) => r[0] },
      { header: 'HANDLER', value: (r: string[]) => r[1] },
    ],
    [['ONCRMDEALADD', url]],
  );
  const longest = Math.max(...text.split('\n').map((line) => line.length));
  assert.ok(longest <= 60, `widest line ${longest} > 60`);
  assert.match(text.replace(/[\s│|]/g, ''), /very-long-path-segment/, 'content kept, only wrapped');
});
