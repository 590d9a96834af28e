// Offline drain throughput with the portal's real limiter (2 requests/s after a burst of 50): drain
// 10,000 queued events from the sandbox portal to stdout and report events/s, HTTP requests per event,
// wall time against the limiter's floor and peak RSS; then 100,000 events for peak RSS (flat memory).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../../dist/src/sandbox/index.js';

const bin = fileURLToPath(new URL('../../bin/b24-events.js', import.meta.url));
const LIMIT = { drainPerSec: 2, burst: 50 };
// process.resourceUsage().maxRSS (KiB) of the CLI, written when it exits
const probe =
  'data:text/javascript,import fs from "node:fs";process.on("exit",()=>fs.writeFileSync(process.env.RSS_FILE,String(process.resourceUsage().maxRSS)))';

// Targets: a request per page at most (pages of 500/1000), wall time close to the limiter's floor, and
// memory that does not grow with the queue: peak RSS within 20 MiB of a drain of an empty queue (a
// leak of one drained event object each shows up as ~+28 MiB at 100,000 events).
const cases = [
  { events: 10_000, args: [], targets: { requestsPerEvent: 0.0025, overFloorSec: 10, rssOverBaseMiB: 20 } },
  { events: 100_000, args: ['--batch', '1000'], targets: { requestsPerEvent: 0.0011, overFloorSec: 10, rssOverBaseMiB: 20 } },
];

const baseline = (await drainCase(0, [])).maxRssKiB / 1024;
console.log(`baseline: draining an empty queue peaks at ${baseline.toFixed(1)} MiB RSS (modules loaded, one request)`);
let ok = true;
for (const c of cases) {
  const result = await drainCase(c.events, c.args);
  const floor = Math.max(0, (result.requests - LIMIT.burst) / LIMIT.drainPerSec);
  const naive = Math.max(0, ((c.events / 50) * 2 + 1 - LIMIT.burst) / LIMIT.drainPerSec);
  const rssMiB = result.maxRssKiB / 1024;
  const checks = [
    result.delivered === c.events ? undefined : `delivered ${result.delivered} of ${c.events}`,
    result.leftInQueue === 0 ? undefined : `${result.leftInQueue} left in the queue`,
    c.targets.requestsPerEvent && result.requests / c.events > c.targets.requestsPerEvent ? 'too many requests per event' : undefined,
    c.targets.overFloorSec && result.seconds - floor > c.targets.overFloorSec ? 'too slow against the floor' : undefined,
    rssMiB - baseline > c.targets.rssOverBaseMiB ? `peak RSS more than ${c.targets.rssOverBaseMiB} MiB above the baseline` : undefined,
  ].filter(Boolean);
  if (checks.length) ok = false;
  console.log(`${String(c.events).padStart(7)} events ${c.args.join(' ') || '(default --batch 500)'}`);
  console.log(`  ${(c.events / result.seconds).toFixed(0)} events/s, ${result.requests} HTTP requests (${(result.requests / c.events).toFixed(4)} per event)`);
  console.log(
    `  wall ${result.seconds.toFixed(1)} s; limiter floor for these requests ${floor.toFixed(1)} s (2/s after 50); pages of 50 with get+clear would need ≥ ${naive.toFixed(0)} s`,
  );
  console.log(
    `  peak RSS ${rssMiB.toFixed(1)} MiB (+${(rssMiB - baseline).toFixed(1)} over the baseline)  ${checks.length ? `FAIL: ${checks.join('; ')}` : 'PASS'}`,
  );
}
console.log(`(Node ${process.version}; the sandbox runs in this process, the CLI in its own)`);
process.exitCode = ok ? 0 : 1;

async function drainCase(events, args) {
  const sandbox = await startSandbox({ rateLimit: LIMIT });
  const dir = mkdtempSync(join(tmpdir(), 'b24-bench-'));
  try {
    const app = sandbox.createApp({ scopes: ['crm'] });
    const tokens = sandbox.issueTokens(app.clientId, 1);
    const profile = {
      portal: sandbox.url,
      oauthServer: sandbox.oauthUrl,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      accessToken: tokens.access_token,
      accessTokenExpires: tokens.expires,
      refreshToken: tokens.refresh_token,
      applicationToken: app.applicationToken,
      memberId: tokens.member_id,
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ defaultProfile: 'bench', profiles: { bench: profile } }), { mode: 0o600 });
    const env = { PATH: process.env.PATH, HOME: dir, B24_EVENTS_CONFIG_DIR: dir, NO_COLOR: '1', CI: '1', RSS_FILE: join(dir, 'rss') };
    const bound = await run(['bind', 'ONCRMDEALUPDATE', '--offline'], env);
    if (bound.code !== 0) throw new Error(`bind failed: ${bound.stderr}`);
    for (let id = 1; id <= events; id += 1) sandbox.trigger('ONCRMDEALUPDATE', { FIELDS: { ID: id } });
    const before = sandbox.requestLog().length;
    // let the burst refill after setup, as it would before a real drain
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const started = process.hrtime.bigint();
    const drained = await run(['offline', 'drain', ...args], env, true);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (drained.code !== 0) throw new Error(`drain failed (${drained.code}): ${drained.stderr}`);
    return {
      seconds,
      delivered: drained.lines,
      requests: sandbox.requestLog().length - before,
      leftInQueue: sandbox.queue(app.clientId).length,
      maxRssKiB: Number(readFileSync(env.RSS_FILE, 'utf8')),
    };
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the CLI; with `count`, stdout lines are counted, not kept. */
function run(args, env, count = false) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', probe, bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      if (!count) stdout += chunk;
      for (const byte of chunk) if (byte === 10) lines += 1;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, lines, stdout, stderr }));
  });
}
