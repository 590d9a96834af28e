// `listen` at its default settings against the sandbox with the real limiter (2 req/s after a burst of
// 50): how long an event waits between being queued and its POST to the local handler (median, p95),
// and what share of the portal's request budget the listener takes. Two kinds of traffic: events that
// flow (random gaps of 0.2-2 s) and events after a quiet spell (over 15 s, when the listener polls
// slower). Targets: median <= 1.5 s, budget share <= 50 %. BENCH_LISTEN_FLOWING / BENCH_LISTEN_QUIET
// set the event counts (default 80 and 6: about three minutes); BENCH_LISTEN_TRACE prints the requests'
// spacing; BENCH_SKIP_LISTEN (scripts/bench/run.mjs) leaves the bench out.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoAppProfile } from '../../dist/src/config/sandbox-profiles.js';
import { startSandbox } from '../../dist/src/sandbox/index.js';

const bin = fileURLToPath(new URL('../../bin/b24-events.js', import.meta.url));
const FLOWING = Number(process.env.BENCH_LISTEN_FLOWING ?? 80);
const QUIET = Number(process.env.BENCH_LISTEN_QUIET ?? 6);
const QUIET_MS = 17_000;
const IDLE_AFTER_MS = 15_000;
const RATE = 2;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const sandbox = await startSandbox({ rateLimit: { drainPerSec: RATE, burst: 50 } });
const dir = mkdtempSync(join(tmpdir(), 'b24-bench-listen-'));
const arrivals = new Map();
const handler = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const id = new URLSearchParams(body).get('data[FIELDS][ID]');
    if (id && !arrivals.has(id)) arrivals.set(id, performance.now());
    res.end('ok');
  });
});
await new Promise((resolve) => handler.listen(0, '127.0.0.1', resolve));
let ok;
let child;
try {
  const app = sandbox.createApp({ scopes: ['crm'] });
  const profile = demoAppProfile(sandbox, app, sandbox.issueTokens(app.clientId, 1));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ defaultProfile: 'bench', profiles: { bench: profile } }), { mode: 0o600 });
  const env = { PATH: process.env.PATH, HOME: dir, B24_EVENTS_CONFIG_DIR: dir, NO_COLOR: '1', CI: '1' };
  const target = `http://127.0.0.1:${handler.address().port}/b24`;
  child = spawn(process.execPath, [bin, 'listen', '--events', 'ONCRMDEALUPDATE', '--forward-to', target], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text) => (stderr = (stderr + text).slice(-4000)));
  const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  while (!stderr.includes('Listening for')) {
    if (child.exitCode !== null) throw new Error(`listen did not start:\n${stderr}`);
    await sleep(20);
  }
  await sleep(1500); // the start-up requests are not the listener's steady share

  const queued = new Map();
  let next = 0;
  const send = (phase) => {
    const id = String((next += 1));
    queued.set(id, { at: performance.now(), wall: Date.now(), phase });
    sandbox.trigger('ONCRMDEALUPDATE', { FIELDS: { ID: id } }, { userId: 1 });
  };
  const requestsBefore = sandbox.requestLog().length;
  const started = performance.now();
  for (let i = 0; i < FLOWING; i += 1) {
    send('flowing');
    await sleep(200 + Math.random() * 1800);
  }
  const flowingRequests = sandbox.requestLog().length - requestsBefore;
  const flowingSeconds = (performance.now() - started) / 1000;
  const quietWallStart = Date.now();
  for (let i = 0; i < QUIET; i += 1) {
    await sleep(QUIET_MS + Math.random() * 2000);
    send('quiet');
  }
  const deadline = performance.now() + 15_000;
  while (arrivals.size < queued.size && performance.now() < deadline) await sleep(50);
  // idle: from 15 s after an event to the next one (before that the listener still polls fast)
  const walls = [...queued.values()].filter((q) => q.phase === 'quiet').map((q) => q.wall);
  let idleFrom = quietWallStart + IDLE_AFTER_MS;
  let quietRequests = 0;
  let quietSeconds = 0;
  for (const wall of walls) {
    quietRequests += sandbox.requestLog().filter((entry) => entry.at >= idleFrom && entry.at < wall).length;
    quietSeconds += Math.max(0, wall - idleFrom) / 1000;
    idleFrom = wall + IDLE_AFTER_MS;
  }
  child.kill('SIGINT');
  const code = await exited;
  if (process.env.BENCH_LISTEN_TRACE) trace(sandbox.requestLog().slice(requestsBefore), queued);

  const latency = (phase) => [...queued].filter(([, q]) => !phase || q.phase === phase).map(([id, q]) => (arrivals.get(id) ?? Infinity) - q.at);
  const all = latency();
  const median = percentile(all, 50) / 1000;
  const p95 = percentile(all, 95) / 1000;
  const share = (requests, seconds) => requests / (RATE * seconds);
  const totalShare = share(sandbox.requestLog().length - requestsBefore, (performance.now() - started) / 1000);
  const flowingShare = share(flowingRequests, flowingSeconds);
  const quietShare = share(quietRequests, quietSeconds);
  const complete = arrivals.size === queued.size && code === 130;
  const fast = median <= 1.5;
  const light = Math.max(flowingShare, quietShare) <= 0.5;
  ok = complete && fast && light;
  console.log(`queued → POST, ${all.length} events at the defaults, real limiter ${RATE}/s after 50:`);
  console.log(`  median ${median.toFixed(2)} s (target <= 1.5 s)  ${fast ? 'PASS' : 'FAIL'}`);
  console.log(`  p95    ${p95.toFixed(2)} s (reported; no target)`);
  for (const phase of ['flowing', 'quiet']) {
    const values = latency(phase);
    if (values.length)
      console.log(
        `  ${phase}: median ${(percentile(values, 50) / 1000).toFixed(2)} s, p95 ${(percentile(values, 95) / 1000).toFixed(2)} s (${values.length} events)`,
      );
  }
  console.log(`request budget share (portal requests / (${RATE} req/s × time), target <= 50 % in every phase)  ${light ? 'PASS' : 'FAIL'}:`);
  console.log(`  while events flow ${(flowingShare * 100).toFixed(0)} % (${flowingRequests} requests in ${flowingSeconds.toFixed(0)} s)`);
  console.log(`  idle (15 s quiet) ${(quietShare * 100).toFixed(0)} % (${quietRequests} requests in ${quietSeconds.toFixed(0)} s; target 25 %)`);
  console.log(`  whole run         ${(totalShare * 100).toFixed(0)} %`);
  console.log(`${arrivals.size} of ${queued.size} delivered, exit ${code}  ${complete ? 'PASS' : 'FAIL'} (Node ${process.version})`);
  if (!complete) console.log(stderr);
} finally {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  handler.close();
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = ok ? 0 : 1;

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** BENCH_LISTEN_TRACE: each request with the milliseconds since the one before, then when each event was queued. */
function trace(log, queued) {
  console.log(log.map((entry, i) => `${entry.method}+${i ? entry.at - log[i - 1].at : 0}`).join(' '));
  console.log([...queued.values()].map((q) => q.wall - (log[0]?.at ?? 0)).join(' '));
}
