// What a drain and the other offline verbs tell the user: no "0s, 0 events/s" summaries, records an
// earlier drain left reserved, the --follow status line, one question for clear --all, connector queues.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { run } from '../../../src/run.js';
import { baseEnv } from '../../helpers/cli.js';
import { interactive, scriptedPrompter } from '../../helpers/prompter.js';
import { rest } from '../declarative/helpers.js';
import { enqueue, offlinePortal, queueRows } from './helpers.js';

test('an empty queue is "Nothing to drain"; a quick drain has no rate and never says 0s', async () => {
  const portal = await offlinePortal();
  try {
    const empty = await portal.cli(['offline', 'drain']);
    assert.equal(empty.code, 0, empty.stderr);
    assert.equal(empty.stderr, 'Nothing to drain: the queue is empty\n');
    const errors = await portal.cli(['offline', 'drain', '--errors', '--event', 'onCrmDealAdd']);
    assert.match(errors.stderr, /^Nothing to drain: no unreserved error-flagged records of ONCRMDEALADD in the queue$/m);

    enqueue(portal, 1, 3);
    const frozen = await portal.cli(['offline', 'drain'], { now: () => 1_000_000 });
    assert.match(frozen.stderr, /^✓ Handled 3 events — 2 requests in under 0\.1s$/m);
    assert.doesNotMatch(frozen.stderr, /0s|events\/s|event\(s\)|request\(s\)/);

    enqueue(portal, 4, 4);
    let clock = 0;
    const slow = await portal.cli(['offline', 'drain'], { now: () => (clock += 1000) });
    assert.match(slow.stderr, /^✓ Handled 1 event — 2 requests in \d+s \(\d+ events\/s\)$/m);
  } finally {
    await portal.close();
  }
});

test('a plain drain that finds records an earlier drain left reserved says so and points to --resume', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 8);
    await rest(portal, 'event.offline.get', { clear: 0, limit: 5 });
    const result = await portal.cli(['offline', 'drain']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /^5 records of this queue are reserved by an earlier drain \(killed, or still running\): this drain leaves them alone; if no other drain is running, `b24-events offline drain --resume` finishes them$/m,
    );
    assert.match(result.stderr, /Handled 3 events/);
    const resumed = await portal.cli(['offline', 'drain', '--resume']);
    assert.doesNotMatch(resumed.stderr, /reserved by an earlier drain/, '--resume is what it suggests: no note there');
    assert.deepEqual(queueRows(portal), []);
  } finally {
    await portal.close();
  }
});

/** Runs a drain in-process with stderr on a "terminal", stopping it (Ctrl-C) once stderr matches `until`. */
async function drainOnTerminal(configDir: string, args: string[], until: RegExp) {
  const controller = new AbortController();
  let stderr = '';
  const sink = (onText: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        onText(chunk.toString());
        done();
      },
    });
  const err = sink((text) => {
    stderr += text;
    if (until.test(stderr)) controller.abort();
  });
  const io = { stdout: sink(() => {}), stderr: err, stdin: Readable.from([]), stdoutIsTTY: false, stderrIsTTY: true, stdinIsTTY: false, columns: 100 };
  const code = await run(args, { io, env: baseEnv(configDir), signal: controller.signal });
  return { code, stderr };
}

test('--follow on a terminal: the line shows the latest counts, then "waiting for events, next poll in Ns"', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 3);
    const result = await drainOnTerminal(portal.configDir, ['offline', 'drain', '--follow'], /waiting for events, next poll in 1s/);
    assert.equal(result.code, 130, result.stderr);
    const drawn = result.stderr.split('\r\x1b[K').filter(Boolean);
    const waiting = drawn.find((text) => text.includes('waiting'));
    assert.equal(waiting, '3 handled · 0 failed · waiting for events, next poll in 1s', 'the counts of the last event, not of an earlier one');
    assert.match(result.stderr, /Interrupted: the events in hand finished and the handled pages were settled\. Handled 3 events/);
  } finally {
    await portal.close();
  }
});

test('offline clear --all asks one question (no "…? …?")', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 2);
    const prompter = scriptedPrompter([{ kind: 'confirm', answer: false }]);
    const result = await portal.cli(['offline', 'clear', '--all'], { ...interactive, prompter });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      prompter.asked.map((q) => q.message),
      ['Delete all 2 unreserved records of the queue (0 of them error-flagged), keeping the reserved batches?'],
    );
  } finally {
    await portal.close();
  }
});

test('offline list on a terminal names connector queues that hold records (each has a queue of its own)', async () => {
  const portal = await offlinePortal();
  try {
    assert.equal((await portal.cli(['bind', 'ONCRMDEALUPDATE', '--offline', '--connector', 'erp'])).code, 0);
    assert.equal((await portal.cli(['bind', 'ONCRMDEALADD', '--offline', '--connector', 'idle'])).code, 0);
    enqueue(portal, 1, 2);
    const listed = await portal.cli(['offline', 'list'], { tty: { stderrIsTTY: true } });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stderr, /^The queue of connector erp holds 2 records: `b24-events offline list --connector erp`$/m);
    assert.doesNotMatch(listed.stderr, /connector idle/, 'an empty connector queue is not mentioned');
    const piped = await portal.cli(['offline', 'list']);
    assert.doesNotMatch(piped.stderr, /connector erp/, 'a hint for people: scripts ask with --connector');
    const own = await portal.cli(['offline', 'list', '--connector', 'erp'], { tty: { stderrIsTTY: true } });
    assert.doesNotMatch(own.stderr, /The queue of connector/);
  } finally {
    await portal.close();
  }
});
