// A full or read-only disk around a token refresh, on a small tmpfs. Mounting needs root (CI machines
// are root containers like the development one); elsewhere the tests are skipped with a note.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, execSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupPortal } from '../helpers/portal.js';
import { isTokenRequest, send, startProxy } from './proxy.js';

const portal = await setupPortal();
const proxy = await startProxy(portal.sandbox.url);
const mountPoint = mkdtempSync(join(tmpdir(), 'b24-events-tmpfs-'));
const configDir = join(mountPoint, 'cfg');
const filler = join(mountPoint, 'filler');
const skip = mountTmpfs();

function mountTmpfs(): string | false {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k,mode=0700', 'tmpfs', mountPoint], { stdio: 'ignore' });
    return false;
  } catch {
    return 'mounting a small tmpfs needs root (mount -t tmpfs); not possible on this machine';
  }
}

before(() => {
  if (skip) console.log(`# full-disk tests skipped: ${skip}`);
});
after(async () => {
  if (!skip) execFileSync('umount', ['-l', mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
  await proxy.close();
  await portal.close();
});

/** A profile on the tmpfs, behind the proxy, whose access token is due: the next call refreshes. */
function dueProfileOnTmpfs(): string {
  portal.writeProfile('admin', { portal: proxy.url, oauthServer: proxy.url, accessTokenExpires: 1 });
  rmSync(configDir, { recursive: true, force: true });
  mkdirSync(configDir, { mode: 0o700 });
  copyFileSync(join(portal.configDir, 'config.json'), join(configDir, 'config.json'));
  return portal.readConfig().profiles.admin!.refreshToken!;
}

const cli = (args: string[]) => portal.cli(args, { env: { B24_EVENTS_CONFIG_DIR: configDir } });
const tokenRequests = () => proxy.seen.filter(isTokenRequest).length;

/** Fills the tmpfs to the last byte. */
function fillDisk(): void {
  const fd = openSync(filler, 'a');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

const freeDisk = () => rmSync(filler, { force: true });
const remount = (mode: 'ro' | 'rw') => execFileSync('mount', ['-o', `remount,${mode}`, mountPoint]);

test('a full disk before the refresh: nothing is spent, one line names ENOSPC, the chain survives', { skip }, async () => {
  dueProfileOnTmpfs();
  fillDisk();
  const spentBefore = tokenRequests();
  const full = await cli(['handlers', '--json']);
  freeDisk();
  assert.equal(full.code, 1);
  assert.match(
    full.stderr,
    /^error: cannot (lock|save) the config file .*: ENOSPC: no space left on the device; nothing was changed and no token was spent — free some space/,
  );
  assert.equal(tokenRequests(), spentBefore, 'the refresh token was not sent');
  const next = await cli(['handlers', '--json']);
  assert.equal(next.code, 0, `the chain is intact: ${next.stderr}`);
});

test('the disk fills up while the refresh is in flight: the successor goes into the room reserved before', { skip }, async () => {
  const spent = dueProfileOnTmpfs();
  proxy.arm(isTokenRequest, async ({ res, forward }) => {
    const reply = await forward();
    fillDisk();
    send(res, reply);
  });
  const result = await cli(['handlers', '--json']);
  freeDisk();
  assert.equal(result.code, 0, result.stderr);
  const next = await cli(['handlers', '--json']);
  assert.equal(next.code, 0, `the saved successor works: ${next.stderr}`);
  assert.ok(!readFileSync(join(configDir, 'config.json'), 'utf8').includes(spent), 'the spent token was replaced');
});

test('the save fails anyway (the disk turned read-only): the new content is kept elsewhere, and the line says how to restore it', { skip }, async () => {
  dueProfileOnTmpfs();
  proxy.arm(isTokenRequest, async ({ res, forward }) => {
    const reply = await forward();
    remount('ro');
    send(res, reply);
  });
  const result = await cli(['handlers', '--json']);
  remount('rw');
  assert.equal(result.code, 1);
  const restore = /put it in place with: (mv '[^']+' '[^']+')/.exec(result.stderr);
  assert.ok(restore, result.stderr);
  assert.match(
    result.stderr,
    /^error: could not save the config file .*config\.json \(EROFS: read-only file system\); its new content, with any new tokens, is kept in /,
  );
  execSync(restore[1]!);
  const next = await cli(['handlers', '--json']);
  assert.equal(next.code, 0, `the kept successor continues the chain: ${next.stderr}`);
});

test('a read-only config folder: a refresh fails at once naming EROFS, and spends nothing', { skip }, async () => {
  dueProfileOnTmpfs();
  remount('ro');
  const spentBefore = tokenRequests();
  const started = Date.now();
  const result = await cli(['handlers', '--json']);
  remount('rw');
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^error: cannot lock the config file .*: EROFS: read-only file system; nothing was changed and no token was spent/);
  assert.ok(Date.now() - started < 10_000, 'no minute-long stall (was ~57 s)');
  assert.equal(tokenRequests(), spentBefore);
  const next = await cli(['handlers', '--json']);
  assert.equal(next.code, 0, next.stderr);
});
