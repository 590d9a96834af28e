import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { Printer } from '../../src/output/printer.js';
import { StatusLine } from '../../src/output/status-line.js';
import { JsonArrayStream } from '../../src/output/json-stream.js';
import { testIO } from '../helpers/io.js';

function line(enabled = true) {
  const io = testIO();
  let now = 1000;
  const status = new StatusLine(
    io.stderr,
    enabled,
    (text) => `<${text}>`,
    () => now,
  );
  return { status, text: () => io.stderr.text(), advance: (ms: number) => (now += ms) };
}

test('status line: redrawn in place; a burst is coalesced and its last update still drawn', async () => {
  const { status, text, advance } = line();
  status.set('1 handled');
  advance(50);
  status.set('2 handled');
  status.set('3 handled');
  assert.equal(text(), '\r\x1b[K<1 handled>', 'updates within the redraw interval wait');
  await sleep(300);
  assert.equal(text(), '\r\x1b[K<1 handled>\r\x1b[K<3 handled>', 'the latest count is drawn, not dropped');
  status.clear();
  assert.ok(text().endsWith('\r\x1b[K'));
});

test('status line: output goes above it and it comes back; off a terminal nothing is drawn', () => {
  const { status, text } = line();
  status.set('waiting for events');
  status.above('warning: x\n');
  assert.equal(text(), '\r\x1b[K<waiting for events>\r\x1b[Kwarning: x\n\r\x1b[K<waiting for events>');
  status.clear();
  const off = line(false);
  off.status.set('hidden');
  off.status.above('note\n');
  assert.equal(off.text(), 'note\n');
});

test('JSON array stream: opens with its first item, closes as one document', async () => {
  const io = testIO();
  const array = new JsonArrayStream(io.stdout, (items) => items);
  await array.push([]);
  assert.equal(io.stdout.text(), '', 'nothing before the first item');
  await array.push([{ a: 1 }, { a: 2 }]);
  await array.push([{ a: 3 }]);
  await array.end();
  assert.deepEqual(JSON.parse(io.stdout.text()), [{ a: 1 }, { a: 2 }, { a: 3 }]);
  const empty = testIO();
  await new JsonArrayStream(empty.stdout, (items) => items).end();
  assert.equal(empty.stdout.text(), '[]\n');
});

test('status line: a data line on a stdout sharing its terminal goes above it too (printer.line)', () => {
  const io = testIO({ stdoutIsTTY: true, stderrIsTTY: true });
  const plain = { success: String, warn: String, error: String, muted: String, bold: String, accent: String };
  const printer = new Printer(io, plain, plain, { json: false, redact: String, debug: false, now: () => 1000, ascii: false });
  printer.status.set('listening');
  printer.line('14:00:00  ONCRMDEALADD  7  →  200  5 ms');
  assert.equal(io.stdout.text(), '14:00:00  ONCRMDEALADD  7  →  200  5 ms\n');
  assert.equal(io.stderr.text(), '\r\x1b[Klistening\r\x1b[K\r\x1b[Klistening', 'hidden for the line, drawn again after it');
});
