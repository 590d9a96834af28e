// Declarative apply at scale: `apply` of a 200-binding manifest must take at most 5 HTTP requests
// (1 event.get + 4 batches of 50) and stay inside the portal's rate limit (leaky bucket 2/s, burst 50),
// counted where it matters: at the test portal. A re-run must take 1 request and change nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const { setupPortal } = await import(new URL('../../dist/test/helpers/portal.js', import.meta.url).href);
const BINDINGS = 200;
const MAX_REQUESTS = 5;
const LIMIT = { drainPerSec: 2, burst: 50 };

const events = ['ONCRMDEALADD', 'ONCRMDEALUPDATE', 'ONCRMLEADADD', 'ONCRMLEADUPDATE', 'ONCRMCONTACTADD', 'ONTASKADD', 'ONTASKUPDATE', 'ONUSERADD'];
const bindings = Array.from({ length: BINDINGS }, (_, i) => ({
  event: events[i % events.length],
  handler: `https://\${HOOKS_HOST}/b24/${Math.floor(i / events.length)}`,
}));

/** Highest level the portal's bucket reached over the logged requests (a refusal would exceed the burst). */
function peakLevel(log) {
  let level = 0;
  let peak = 0;
  let last = log[0]?.at ?? 0;
  for (const { at } of log) {
    level = Math.max(0, level - ((at - last) / 1000) * LIMIT.drainPerSec) + 1;
    last = at;
    peak = Math.max(peak, level);
  }
  return peak;
}

const portal = await setupPortal({ rateLimit: LIMIT });
try {
  portal.writeProfile('bench');
  const file = join(portal.configDir, 'b24-events.json');
  writeFileSync(file, JSON.stringify({ version: 1, bindings }));
  const env = { HOOKS_HOST: 'hooks.example.com' };

  const started = performance.now();
  const first = await portal.cli(['apply', '-f', file], { env, timeoutMs: 120_000 });
  const ms = performance.now() - started;
  const log = portal.sandbox.requestLog();
  const stored = portal.sandbox.handlers(portal.app.clientId).length;

  const again = await portal.cli(['apply', '-f', file], { env });
  const rerun = portal.sandbox.requestLog().length - log.length;

  const peak = peakLevel(log);
  const checks = [
    ['apply exit code', first.code, first.code === 0],
    ['bindings on the portal', stored, stored === BINDINGS],
    [`HTTP requests (≤ ${MAX_REQUESTS})`, `${log.length} (${log.map((e) => e.method).join(', ')})`, log.length <= MAX_REQUESTS],
    [`peak rate-limit bucket (≤ ${LIMIT.burst})`, peak.toFixed(1), peak <= LIMIT.burst && !/retrying|QUERY_LIMIT/.test(first.stderr)],
    ['re-run: requests, exit code', `${rerun}, ${again.code}`, rerun === 1 && again.code === 0 && /Nothing to do/.test(again.stderr)],
  ];
  for (const [name, value, ok] of checks) console.log(`${ok ? 'PASS' : 'FAIL'}  ${name.padEnd(34)} ${value}`);
  console.log(`apply of ${BINDINGS} bindings: ${ms.toFixed(0)} ms wall (process start included), ${(BINDINGS / (ms / 1000)).toFixed(0)} bindings/s`);
  if (first.code !== 0) console.log(first.stderr);
  process.exitCode = checks.every(([, , ok]) => ok) ? 0 : 1;
} finally {
  await portal.close();
}
