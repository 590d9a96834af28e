// --pipe CMD: one long-running handler that acknowledges each event on stdout. The README's PHP and Node
// consumers are run as printed there; a handler that dies or hangs stops the drain with the events in
// flight reserved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJson } from '../../helpers/cli.js';
import { dealIds, enqueue, offlinePortal, queueRows, range, readLines, sorted } from './helpers.js';

const README = fileURLToPath(new URL('../../../../README.md', import.meta.url));

/** The code block of `language` that the README prints for --pipe consumers. */
function readmeConsumer(language: 'php' | 'js'): string {
  const text = readFileSync(README, 'utf8');
  const block = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g');
  const found = [...text.matchAll(block)].map((m) => (m[1] ?? '').replace(/^ {2}/gm, '')).find((code) => code.includes('--pipe'));
  if (!found) throw new Error(`README has no ${language} --pipe consumer`);
  return found;
}

const node = (file: string) => `"${process.execPath}" "${file}"`;

/** A Node consumer in the scratch folder: `each` runs per line read; `answer(line, ok, error)` acknowledges. */
function consumer(dir: string, name: string, parts: { before?: string; each: string; after?: string }): string {
  const file = join(dir, name);
  const code = `import { createInterface } from 'node:readline';
import { appendFileSync } from 'node:fs';
const answer = (line, ok = true, error) => process.stdout.write(JSON.stringify({ id: JSON.parse(line).ID, ok, error }) + '\\n');
${parts.before ?? ''}
for await (const line of createInterface({ input: process.stdin })) {
  ${parts.each}
}
${parts.after ?? ''}`;
  writeFileSync(file, code);
  return node(file);
}

test("the README's Node consumer: acknowledged events are confirmed, a thrown error is flagged", async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 30);
    const file = join(portal.scratch, 'consumer.mjs');
    const handle = `const handle = async (event) => { if (event.EVENT_DATA.FIELDS.ID === 7) throw new Error('deal 7 is locked'); };\n`;
    writeFileSync(file, handle + readmeConsumer('js'));
    const result = await portal.cli(['offline', 'drain', '--pipe', node(file), '--json']);
    assert.equal(result.code, 1, result.stderr);
    const summary = parseJson<{ handled: number; failed: number; stopped: string }>(result);
    assert.deepEqual([summary.handled, summary.failed, summary.stopped], [29, 1, 'empty']);
    assert.match(result.stderr, /failed: handler: Error: deal 7 is locked/);
    assert.deepEqual(
      queueRows(portal).map((row) => [row.EVENT_DATA.FIELDS.ID, row.ERROR, row.PROCESS_ID]),
      [[7, 1, '']],
    );
  } finally {
    await portal.close();
  }
});

const php = spawnSync('php', ['--version']).status === 0;

test("the README's PHP consumer works as printed", { skip: php ? false : 'php is not installed' }, async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 12);
    const file = join(portal.scratch, 'consumer.php');
    const handle = `<?php function handle(array $event): void { if ($event['EVENT_DATA']['FIELDS']['ID'] === 3) throw new RuntimeException('no deal 3'); } ?>\n`;
    writeFileSync(file, handle + readmeConsumer('php'));
    const result = await portal.cli(['offline', 'drain', '--pipe', `php ${file}`]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /failed: handler: no deal 3/);
    assert.match(result.stderr, /Handled 11 events, 1 failed/);
    assert.deepEqual(
      queueRows(portal).map((row) => row.EVENT_DATA.FIELDS.ID),
      [3],
    );
  } finally {
    await portal.close();
  }
});

test('--pipe: answers in any order; stdout lines that are no answer and stderr go to stderr', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 30);
    // answers in groups of ten, last first
    const reverse = consumer(portal.scratch, 'reverse.mjs', {
      before: "let held = [];\nconsole.log('consumer ready');\nconsole.error('consumer log line');",
      each: 'held.push(line);\n  if (held.length < 10) continue;\n  for (const one of held.reverse()) answer(one);\n  held = [];',
    });
    const result = await portal.cli(['offline', 'drain', '--pipe', reverse]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^consumer ready$/m);
    assert.match(result.stderr, /^consumer log line$/m);
    assert.match(result.stderr, /Handled 30 events/);
    assert.deepEqual(queueRows(portal), []);
  } finally {
    await portal.close();
  }
});

test('--pipe: a handler that stops answering is stopped after --handler-timeout; what it holds stays reserved', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 20);
    const hangs = consumer(portal.scratch, 'hangs.mjs', {
      before: 'let answered = 0;',
      each: 'if (answered++ < 3) answer(line);',
      after: 'setInterval(() => {}, 1000); // and never exits on its own',
    });
    const result = await portal.cli(['offline', 'drain', '--pipe', hangs, '--handler-timeout', '1']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /stopped: the --pipe handler answered nothing for 1s with events waiting; it was stopped; 17 event\(s\) in flight were not acknowledged/,
    );
    const rows = queueRows(portal);
    assert.equal(rows.length, 17, 'the 3 answered events were confirmed');
    assert.ok(
      rows.every((row) => row.PROCESS_ID !== '' && row.ERROR === 0),
      'the rest stays reserved, unflagged',
    );
  } finally {
    await portal.close();
  }
});

test('--pipe: a handler that dies stops the drain; what it did not answer stays reserved and --resume finishes it', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 40);
    const seen = join(portal.scratch, 'seen.ndjson');
    const dies = consumer(portal.scratch, 'dies.mjs', {
      before: 'let answered = 0;',
      each: `appendFileSync(${JSON.stringify(seen)}, line + '\\n');\n  answer(line);\n  if (++answered === 12) process.exit(3);`,
    });
    const result = await portal.cli(['offline', 'drain', '--pipe', dies, '--batch', '20']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /warning: stopped: the --pipe handler exited \(exit 3\)/);
    const rows = queueRows(portal);
    assert.equal(rows.filter((row) => row.ERROR === 1).length, 0, 'nothing flagged');
    assert.deepEqual(sorted(rows.map((row) => row.EVENT_DATA.FIELDS.ID)), range(13, 40), 'the 12 answered events were confirmed');
    const reserved = rows.filter((row) => row.PROCESS_ID !== '');
    assert.equal(reserved.length, 8, 'the rest of the page in hand stays reserved');
    assert.match(result.stderr, new RegExp(`8 records left reserved under ${reserved[0]?.PROCESS_ID}`));

    const good = consumer(portal.scratch, 'good.mjs', { each: 'answer(line);' });
    const resumed = await portal.cli(['offline', 'drain', '--resume', '--pipe', good]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(queueRows(portal), []);
    assert.deepEqual(dealIds(readLines(seen)).slice(0, 12), range(1, 12));
  } finally {
    await portal.close();
  }
});

test('--pipe: a handler that answers ok:false the same way from the start stops the drain, nothing flagged', async () => {
  const portal = await offlinePortal();
  try {
    enqueue(portal, 1, 30);
    const wrong = consumer(portal.scratch, 'wrong.mjs', { each: "answer(line, false, 'no database');" });
    const result = await portal.cli(['offline', 'drain', '--pipe', wrong]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /stopped: handler: no database for the first 5 events: the handler looks wrong, so nothing was flagged/);
    assert.equal(queueRows(portal).filter((row) => row.ERROR === 1).length, 0);
    assert.equal(queueRows(portal).length, 30);
  } finally {
    await portal.close();
  }
});

test('--pipe refuses --exec, --forward-to and --concurrency before any request', async () => {
  const portal = await offlinePortal();
  try {
    const both = await portal.cli(['offline', 'drain', '--pipe', 'cat', '--exec', 'cat']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /pass one of --exec, --pipe and --forward-to, not --exec and --pipe/);
    const concurrency = await portal.cli(['offline', 'drain', '--pipe', 'cat', '--concurrency', '4']);
    assert.equal(concurrency.code, 2);
    assert.match(concurrency.stderr, /--pipe keeps up to 500 events in flight/);
  } finally {
    await portal.close();
  }
});
