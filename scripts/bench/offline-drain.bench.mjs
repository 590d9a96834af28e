// Offline drain against the sandbox portal with its real limiter (2 requests/s after a burst of 50), the
// CLI in its own process (a clean environment, as on a user's machine), medians of several runs:
//   100,000 events in <= 10 requests and <= 3 s, 500,000 in <= 40 requests, peak RSS <= 65 MiB with an
//   empty queue and <= 85 MiB at 100,000 and 500,000 events, --pipe with a trivial handler >= 5,000
//   events/s; side by side, the naive loop an SDK user writes (get 50 with clear=0, then clear, page by
//   page, paced like the portal) on 10,000 events, and how many times better each figure is.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoAppProfile } from '../../dist/src/config/sandbox-profiles.js';
import { startSandbox } from '../../dist/src/sandbox/index.js';

const bin = fileURLToPath(new URL('../../bin/b24-events.js', import.meta.url));
const LIMIT = { drainPerSec: 2, burst: 50 };
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// process.resourceUsage().maxRSS (KiB) of the CLI, written when it exits
const probe =
  'data:text/javascript,import fs from "node:fs";process.on("exit",()=>fs.writeFileSync(process.env.RSS_FILE,String(process.resourceUsage().maxRSS)))';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const MiB = (kib) => kib / 1024;

// BENCH_NAIVE_EVENTS shortens the reference loop for a quick look (its rate is the same at any size)
const naive = process.env.BENCH_SKIP_NAIVE ? { events: 1, seconds: 1, requests: 1 } : await naiveLoop(Number(process.env.BENCH_NAIVE_EVENTS ?? 10_000));
const rate = (events, seconds) => events / seconds;
const naiveRate = rate(naive.events, naive.seconds);
const naivePerRequest = naive.events / naive.requests;
console.log(
  `naive SDK loop, ${naive.events} events: ${naive.requests} requests, ${naive.seconds.toFixed(1)} s (${naiveRate.toFixed(0)} events/s, ${naivePerRequest.toFixed(0)} events per request)`,
);

const empty = await medianOf(() => drainCase({ events: 0 }), 5);
const hundred = await medianOf(() => drainCase({ events: 100_000 }), RUNS);
const fiveHundred = await medianOf(() => drainCase({ events: 500_000 }), RUNS);
const piped = await medianOf(() => drainCase({ events: 50_000, pipe: true }), RUNS);
const execed = await medianOf(() => drainCase({ events: 2_000, exec: true }), RUNS);

const checks = [
  ['empty queue: peak RSS', MiB(empty.maxRssKiB), 65, 'MiB'],
  ['100,000 events: HTTP requests', hundred.requests, 10, '', (v) => `${(100_000 / v / naivePerRequest).toFixed(0)}x fewer per event than the naive loop`],
  ['100,000 events: wall time', hundred.seconds, 3, 's', (v) => `${(rate(100_000, v) / naiveRate).toFixed(0)}x the naive loop's rate`],
  ['100,000 events: peak RSS', MiB(hundred.maxRssKiB), 85, 'MiB'],
  ['500,000 events: HTTP requests', fiveHundred.requests, 40, '', (v) => `${(500_000 / v / naivePerRequest).toFixed(0)}x fewer per event than the naive loop`],
  ['500,000 events: wall time', fiveHundred.seconds, undefined, 's', (v) => `${(rate(500_000, v) / naiveRate).toFixed(0)}x the naive loop's rate`],
  ['500,000 events: peak RSS', MiB(fiveHundred.maxRssKiB), 85, 'MiB'],
  ['--pipe, trivial handler, 50,000 events', rate(50_000, piped.seconds), -5000, 'events/s', (v) => `${(v / naiveRate).toFixed(0)}x the naive loop's rate`],
  [
    '--exec (a shell per event), 2,000 events',
    rate(2_000, execed.seconds),
    undefined,
    'events/s',
    (v) => `${(v / naiveRate).toFixed(0)}x the naive loop's rate`,
  ],
];
let ok = [empty, hundred, fiveHundred, piped, execed].every((result) => result.complete);
for (const [name, value, target, unit, versus] of checks) {
  const pass = target === undefined || (target < 0 ? value >= -target : value <= target);
  if (!pass) ok = false;
  const goal =
    target === undefined ? '(no target)' : `${pass ? 'PASS' : 'FAIL'} (target ${target < 0 ? '>=' : '<='} ${Math.abs(target)}${unit ? ` ${unit}` : ''})`;
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
  console.log(`${name.padEnd(40)} ${`${shown} ${unit}`.padEnd(16)} ${goal.padEnd(28)} ${versus ? versus(value) : ''}`);
}
for (const [name, result] of [
  ['100,000', hundred],
  ['500,000', fiveHundred],
  ['--pipe 50,000', piped],
]) {
  console.log(
    `  ${name}: pages ${result.pages}, requests ${result.requests}, ${result.seconds.toFixed(2)} s, ${MiB(result.maxRssKiB).toFixed(1)} MiB (median run)`,
  );
}
console.log(`(medians of ${RUNS} runs, 5 for the empty queue; Node ${process.version}; the sandbox runs in this process, the CLI in its own)`);
process.exitCode = ok ? 0 : 1;

/** Runs `once` n times and returns the run with the median wall time (RSS: the median too). */
async function medianOf(once, n) {
  const results = [];
  for (let i = 0; i < n; i += 1) results.push(await once());
  const byTime = [...results].sort((a, b) => a.seconds - b.seconds)[Math.floor(n / 2)];
  return {
    ...byTime,
    maxRssKiB: median(results.map((r) => r.maxRssKiB)),
    requests: median(results.map((r) => r.requests)),
    complete: results.every((r) => r.complete),
  };
}

/** A fresh portal with the real limiter, an app, a saved profile and `events` queued records. */
async function portalWith(events) {
  const sandbox = await startSandbox({ rateLimit: LIMIT });
  const dir = mkdtempSync(join(tmpdir(), 'b24-bench-'));
  const app = sandbox.createApp({ scopes: ['crm'] });
  const tokens = sandbox.issueTokens(app.clientId, 1);
  const profile = demoAppProfile(sandbox, app, tokens);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ defaultProfile: 'bench', profiles: { bench: profile } }), { mode: 0o600 });
  const env = { PATH: process.env.PATH, HOME: dir, B24_EVENTS_CONFIG_DIR: dir, NO_COLOR: '1', CI: '1', RSS_FILE: join(dir, 'rss') };
  const bound = await run(['bind', 'ONCRMDEALUPDATE', '--offline'], env);
  if (bound.code !== 0) throw new Error(`bind failed: ${bound.stderr}`);
  for (let id = 1; id <= events; id += 1) sandbox.trigger('ONCRMDEALUPDATE', { FIELDS: { ID: id } });
  // let the burst refill after setup, as it would before a real drain
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return {
    sandbox,
    app,
    tokens,
    dir,
    env,
    close: async () => {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function drainCase({ events, pipe = false, exec = false }) {
  const portal = await portalWith(events);
  try {
    const consumer = join(portal.dir, 'consumer.mjs');
    // the trivial --pipe handler: acknowledge every event
    writeFileSync(
      consumer,
      "import { createInterface } from 'node:readline';\nfor await (const line of createInterface({ input: process.stdin })) process.stdout.write(`${JSON.stringify({ id: JSON.parse(line).ID, ok: true })}\\n`);\n",
    );
    const sink = pipe ? ['--pipe', `"${process.execPath}" "${consumer}"`] : exec ? ['--exec', 'cat > /dev/null', '--concurrency', '4'] : [];
    const args = ['offline', 'drain', ...sink, '--json'];
    const before = portal.sandbox.requestLog().length;
    const started = process.hrtime.bigint();
    const drained = await run(args, portal.env, true);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (drained.code !== 0) throw new Error(`drain failed (${drained.code}): ${drained.stderr}`);
    // --json: with the stdout sink the summary is stderr's last line, otherwise stdout's one document
    const summary = JSON.parse(pipe || exec ? drained.stdout : drained.stderr.trim().split('\n').at(-1));
    const left = portal.sandbox.queue(portal.app.clientId).length;
    return {
      seconds,
      complete: summary.handled === events && left === 0 && (pipe || exec || drained.lines === events),
      pages: summary.pages,
      requests: portal.sandbox.requestLog().length - before,
      maxRssKiB: Number(readFileSync(portal.env.RSS_FILE, 'utf8')),
    };
  } finally {
    await portal.close();
  }
}

/**
 * What an SDK user writes: `event.offline.get` 50 at a time with clear=0, then `event.offline.clear`
 * of that process id, page after page, paced as the portal allows (a leaky bucket of 2/s after 50).
 */
async function naiveLoop(events) {
  const portal = await portalWith(events);
  try {
    // the SDKs' throttle: the portal's own bucket (2/s after 50), and a retry after a refusal
    const bucket = { level: 0, at: Date.now() };
    const call = async (method, params) => {
      for (;;) {
        const now = Date.now();
        bucket.level = Math.max(0, bucket.level - ((now - bucket.at) / 1000) * LIMIT.drainPerSec);
        bucket.at = now;
        // (+2 ms: timers fire on whole milliseconds, the portal counts exactly)
        if (bucket.level + 1 > LIMIT.burst) await sleep(Math.ceil(((bucket.level + 1 - LIMIT.burst) / LIMIT.drainPerSec) * 1000) + 2);
        bucket.level += 1;
        const reply = await fetch(`${portal.sandbox.url}/rest/${method}.json`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...params, auth: portal.tokens.access_token }),
        });
        const body = await reply.json();
        if (body.error === 'QUERY_LIMIT_EXCEEDED') {
          await sleep(1000 / LIMIT.drainPerSec);
          continue;
        }
        if (body.error) throw new Error(`${method}: ${body.error}`);
        return body.result;
      }
    };
    const before = portal.sandbox.requestLog().length;
    const started = process.hrtime.bigint();
    let handled = 0;
    for (;;) {
      const page = await call('event.offline.get', { clear: 0, limit: 50 });
      if (page.events.length === 0) break;
      handled += page.events.length;
      await call('event.offline.clear', { process_id: page.process_id });
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (handled !== events) throw new Error(`the naive loop handled ${handled} of ${events}`);
    return { events, seconds, requests: portal.sandbox.requestLog().length - before };
  } finally {
    await portal.close();
  }
}

/** Runs the CLI; with `count`, stdout lines are counted, only the last one kept. */
function run(args, env, count = false) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', probe, bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout = count ? (stdout + chunk.toString()).slice(-4096) : stdout + chunk;
      for (const byte of chunk) if (byte === 10) lines += 1;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, lines, stdout, stderr }));
  });
}
