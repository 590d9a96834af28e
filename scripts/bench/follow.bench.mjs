// A long `offline drain --follow` holds steady: events keep arriving (bursts, then quiet spells that
// let the drain idle and poll), the CLI's RSS is sampled every few seconds, and after a warm-up it must
// not grow (the last third of the run stays within 3 MiB of the first third after warm-up). Every event
// must come out exactly once. 30 minutes by default; BENCH_FOLLOW_MINUTES shortens it for a quick look.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoAppProfile } from '../../dist/src/config/sandbox-profiles.js';
import { startSandbox } from '../../dist/src/sandbox/index.js';

const bin = fileURLToPath(new URL('../../bin/b24-events.js', import.meta.url));
const minutes = Number(process.env.BENCH_FOLLOW_MINUTES ?? 30);
const SAMPLE_MS = 5000;
const GROWTH_LIMIT_MIB = 3;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const sandbox = await startSandbox({ rateLimit: { drainPerSec: 2, burst: 50 } });
const dir = mkdtempSync(join(tmpdir(), 'b24-bench-follow-'));
let ok;
try {
  const app = sandbox.createApp({ scopes: ['crm'] });
  const profile = demoAppProfile(sandbox, app, sandbox.issueTokens(app.clientId, 1));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ defaultProfile: 'bench', profiles: { bench: profile } }), { mode: 0o600 });
  const env = { PATH: process.env.PATH, HOME: dir, B24_EVENTS_CONFIG_DIR: dir, NO_COLOR: '1', CI: '1' };
  await new Promise((resolve) => spawn(process.execPath, [bin, 'bind', 'ONCRMDEALUPDATE', '--offline'], { env, stdio: 'ignore' }).on('close', resolve));

  const child = spawn(process.execPath, [bin, 'offline', 'drain', '--follow'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let lines = 0;
  child.stdout.on('data', (chunk) => {
    for (const byte of chunk) if (byte === 10) lines += 1;
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text) => (stderr = (stderr + text).slice(-2000)));
  const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));

  const started = Date.now();
  const end = started + minutes * 60_000;
  const samples = [];
  let sent = 0;
  let nextSample = started + SAMPLE_MS;
  // each minute: 40 s of traffic (up to 2,000 events in bursts), then 20 s of quiet (the drain idles, backs off)
  while (Date.now() < end) {
    const second = Math.floor((Date.now() - started) / 1000) % 60;
    if (second < 40) {
      const burst = 10 + Math.floor(Math.random() * 90);
      for (let i = 0; i < burst; i += 1) sandbox.trigger('ONCRMDEALUPDATE', { FIELDS: { ID: (sent += 1) } });
    }
    if (Date.now() >= nextSample) {
      samples.push({ at: (Date.now() - started) / 1000, rssMiB: rssOf(child.pid) });
      nextSample += SAMPLE_MS;
    }
    await sleep(second < 40 ? 500 : 1000);
  }
  await waitFor(() => lines >= sent, 120_000);
  child.kill('SIGINT');
  const code = await exited;
  const left = sandbox.queue(app.clientId).length;

  const warm = samples.filter((s) => s.at >= Math.min(180, (minutes * 60) / 10));
  const third = Math.max(1, Math.floor(warm.length / 3));
  const early = Math.max(...warm.slice(0, third).map((s) => s.rssMiB));
  const late = Math.max(...warm.slice(-third).map((s) => s.rssMiB));
  const slope = slopePerTenMinutes(warm);
  const steady = late - early <= GROWTH_LIMIT_MIB;
  const complete = lines === sent && left === 0 && code === 130;
  ok = steady && complete;
  console.log(`${minutes} min of --follow: ${sent} events sent, ${lines} delivered, ${left} left in the queue, exit ${code}  ${complete ? 'PASS' : 'FAIL'}`);
  console.log(
    `RSS after warm-up: first third peaks at ${early.toFixed(1)} MiB, last third at ${late.toFixed(1)} MiB (${(late - early).toFixed(1)} MiB; target <= ${GROWTH_LIMIT_MIB} MiB growth), trend ${slope.toFixed(2)} MiB per 10 min  ${steady ? 'PASS' : 'FAIL'}`,
  );
  console.log(`(${samples.length} samples every ${SAMPLE_MS / 1000} s, warm-up ${warm[0]?.at.toFixed(0)} s; Node ${process.version})`);
  if (!complete) console.log(stderr);
} finally {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = ok ? 0 : 1;

/** Resident set of a process in MiB (Linux /proc; ps elsewhere). */
function rssOf(pid) {
  try {
    const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    if (kib) return kib / 1024;
  } catch {
    // not Linux
  }
  return 0;
}

async function waitFor(condition, ms) {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await sleep(100);
}

/** Least-squares slope of RSS over time, in MiB per 10 minutes. */
function slopePerTenMinutes(points) {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((sum, p) => sum + p.at, 0) / n;
  const my = points.reduce((sum, p) => sum + p.rssMiB, 0) / n;
  const num = points.reduce((sum, p) => sum + (p.at - mx) * (p.rssMiB - my), 0);
  const den = points.reduce((sum, p) => sum + (p.at - mx) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 600;
}
