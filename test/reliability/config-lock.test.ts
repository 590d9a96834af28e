// The refresh lock under kill -9, a stopped owner, a lock lost mid-refresh and a take-over from another host.
import { test, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setupPortal } from '../helpers/portal.js';
import { isTokenRequest, send, startProxy } from './proxy.js';
import { fakeLock, sleep, spawnBin, until } from './support.js';

const portal = await setupPortal();
const proxy = await startProxy(portal.sandbox.url);
after(async () => {
  await proxy.close();
  await portal.close();
});
const lockDir = join(portal.configDir, 'config.json.lock');
afterEach(() => rmSync(lockDir, { recursive: true, force: true }));

/** A profile behind the proxy whose access token is due, so the next call refreshes under the lock. */
function dueProfile(): string {
  portal.writeProfile('admin', { portal: proxy.url, oauthServer: proxy.url, accessTokenExpires: 1 });
  return portal.readConfig().profiles.admin!.refreshToken!;
}

const tokenRequests = () => proxy.seen.filter(isTokenRequest).length;

test('kill -9 inside the refresh lock: the next command takes the lock over at once', async () => {
  const before = dueProfile();
  let arrived = false;
  proxy.arm(isTokenRequest, () => void (arrived = true)); // held: never forwarded, so nothing is spent
  const victim = spawnBin(['handlers'], portal.configDir);
  await until(() => arrived, 10_000, 'the refresh request');
  victim.child.kill('SIGKILL');
  await victim.exited;
  assert.ok(existsSync(lockDir), 'the killed process left its lock');
  const started = Date.now();
  const next = await portal.cli(['handlers', '--json']);
  assert.equal(next.code, 0, next.stderr);
  assert.ok(Date.now() - started < 10_000, 'no wait for a stale timeout (was 30 s)');
  assert.notEqual(portal.readConfig().profiles.admin!.refreshToken, before, 'refreshed and saved');
});

test('a FIFO at the lock owner record is refused at once, never read (a read would hang): the lock is taken over', async () => {
  const before = dueProfile();
  mkdirSync(lockDir, { mode: 0o700 });
  execFileSync('mkfifo', [join(lockDir, 'owner.json')]);
  const then = new Date(Date.now() - 60_000); // left behind a minute ago, not being written right now
  utimesSync(lockDir, then, then);
  const result = await portal.cli(['handlers', '--json'], { spawn: true, timeoutMs: 15_000 });
  assert.equal(result.signal, null, 'it did not hang');
  assert.equal(result.code, 0, result.stderr);
  assert.notEqual(portal.readConfig().profiles.admin!.refreshToken, before, 'refreshed and saved under the lock it took');
  assert.equal(existsSync(lockDir), false, 'the FIFO went with the lock it did not own');
});

test('an owner that is alive is never taken over, however old its heartbeat (Ctrl-Z)', async () => {
  dueProfile();
  const owner = spawn('sleep', ['30']);
  fakeLock(portal.configDir, { pid: owner.pid!, host: hostname() }, 3_600_000);
  const spentBefore = tokenRequests();
  let finished = false;
  const waiting = portal.cli(['handlers', '--json']).finally(() => (finished = true));
  await sleep(1500);
  assert.equal(finished, false, 'it waits for the live owner');
  assert.equal(tokenRequests(), spentBefore, 'and spends nothing meanwhile');
  owner.kill('SIGKILL');
  const result = await waiting;
  assert.equal(result.code, 0, result.stderr);
  assert.equal(tokenRequests(), spentBefore + 1, 'one refresh, after the owner was gone');
});

test('Ctrl-Z of a refreshing process: the next one waits instead of spending the same token, then uses its result', async () => {
  const before = dueProfile();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let arrived = false;
  proxy.arm(isTokenRequest, async ({ res, forward }) => {
    arrived = true;
    await held;
    send(res, await forward());
  });
  const first = spawnBin(['handlers', '--json'], portal.configDir);
  await until(() => arrived, 10_000, 'the refresh request');
  first.child.kill('SIGSTOP');
  const spent = tokenRequests();
  let finished = false;
  const second = portal.cli(['handlers', '--json']).finally(() => (finished = true));
  await sleep(1500);
  assert.equal(finished, false, 'the second waits for the stopped one');
  first.child.kill('SIGCONT');
  release();
  const [a, b] = await Promise.all([first.exited, second]);
  assert.equal(a.code, 0, first.stderr());
  assert.equal(b.code, 0, b.stderr);
  assert.equal(tokenRequests(), spent, "the second spent nothing: it used the first one's new token");
  assert.notEqual(portal.readConfig().profiles.admin!.refreshToken, before);
});

test('a lock lost during the refresh: the successor is still saved, nothing crashes, the new lock is left alone', async () => {
  const before = dueProfile();
  const other = spawn('sleep', ['30']);
  proxy.arm(isTokenRequest, async ({ res, forward }) => {
    rmSync(lockDir, { recursive: true, force: true });
    fakeLock(portal.configDir, { pid: other.pid!, host: hostname() }, 0);
    send(res, await forward());
  });
  try {
    const result = await portal.cli(['handlers', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.notEqual(portal.readConfig().profiles.admin!.refreshToken, before, "the spent token's successor is saved");
    const owner = JSON.parse(readFileSync(join(lockDir, 'owner.json'), 'utf8')) as { pid: number };
    assert.equal(owner.pid, other.pid, "the other process's lock was not removed");
  } finally {
    other.kill('SIGKILL');
  }
});

test('invalid_grant right after taking over from another host: the file is read again before giving up', async () => {
  dueProfile();
  fakeLock(portal.configDir, { pid: 4242, host: 'elsewhere.example' }, 3_600_000);
  // The owner on the other host was only slow: it spends the token and saves the successor just
  // as this process, having taken over, sends the same token (which the server then refuses).
  proxy.arm(isTokenRequest, async ({ res, forward }) => {
    const theirs = JSON.parse((await forward()).body.toString('utf8')) as { access_token: string; refresh_token: string; expires: number };
    const config = portal.readConfig();
    Object.assign(config.profiles.admin!, { accessToken: theirs.access_token, refreshToken: theirs.refresh_token, accessTokenExpires: theirs.expires });
    writeFileSync(join(portal.configDir, 'config.json'), JSON.stringify(config));
    send(res, await forward());
  });
  const result = await portal.cli(['handlers', '--json']);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), []);
});
