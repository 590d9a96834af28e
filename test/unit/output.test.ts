import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { colorLevels, createPalette, loadColor } from '../../src/output/color.js';
import { renderTable } from '../../src/output/table.js';
import type { IO } from '../../src/output/io.js';

// chalk loads only where colour is possible (a terminal): as a run at a terminal does
await loadColor({}, { stdoutIsTTY: true, stderrIsTTY: true });

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

const handlerColumns = [
  { header: 'EVENT', value: (r: string[]) => r[0] },
  { header: 'TYPE', value: (r: string[]) => r[1] },
  { header: 'HANDLER / CONNECTOR', value: (r: string[]) => r[2] },
  { header: 'AUTH_TYPE', value: (r: string[]) => r[3] },
];
const handlerRows = [
  ['ONCRMDEALADD', 'online', 'https://hooks.example.com/b24/deal', '0'],
  ['ONCRMDEALUPDATE', 'offline', '(default queue)', ''],
];

test('tables on a TTY are borderless columns two spaces apart, gh-style, without trailing spaces', async () => {
  const text = await renderTable({ ...io(true), columns: 120 }, createPalette(0), handlerColumns, handlerRows);
  assert.equal(
    text,
    [
      'EVENT            TYPE     HANDLER / CONNECTOR                 AUTH_TYPE',
      'ONCRMDEALADD     online   https://hooks.example.com/b24/deal  0',
      'ONCRMDEALUPDATE  offline  (default queue)',
      '',
    ].join('\n'),
  );
});

test('a table wider than the terminal becomes one block per record: no URL or header is ever broken', async () => {
  const url = `https://hooks.example.com/${'very-long-path-segment/'.repeat(5)}`;
  const text = await renderTable({ ...io(true), columns: 60 }, createPalette(0), handlerColumns, [['ONCRMDEALADD', 'online', url, '0'], handlerRows[1]!]);
  assert.equal(
    text,
    [
      'EVENT                ONCRMDEALADD',
      'TYPE                 online',
      `HANDLER / CONNECTOR  ${url}`,
      'AUTH_TYPE            0',
      '',
      'EVENT                ONCRMDEALUPDATE',
      'TYPE                 offline',
      'HANDLER / CONNECTOR  (default queue)',
      '',
    ].join('\n'),
  );
});
