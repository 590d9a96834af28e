// A hostile HTTP proxy in front of the sandbox: redirects to another host, endless and oversized
// bodies, junk tokens, a reply dropped after the work was done, a client_endpoint moved elsewhere.
import { test, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertNoSecrets, secretsOf, setupPortal } from '../helpers/portal.js';
import { interactive, scriptedPrompter } from '../helpers/prompter.js';
import { isMethod, isTokenRequest, sendJson, startProxy, type Upstream } from './proxy.js';

const portal = await setupPortal();
const proxy = await startProxy(portal.sandbox.url);
/** Another host that answers like a portal would: whatever reaches it, token included, is a leak. */
const stranger = await startStranger();
after(async () => {
  await proxy.close();
  await stranger.close();
  await portal.close();
});
beforeEach(() => (stranger.seen.length = 0));

async function startStranger() {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${body}`);
      sendJson(res, { result: true, access_token: 'x', refresh_token: 'y' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A profile behind the proxy; `due` makes its access token due, so the next call refreshes. */
function profile(due = false): void {
  portal.writeProfile('admin', { portal: proxy.url, oauthServer: proxy.url, ...(due ? { accessTokenExpires: 1 } : {}) });
}

const tokenReply = (upstream: Upstream) => JSON.parse(upstream.body.toString('utf8')) as Record<string, unknown>;

test('a REST redirect to another host is an error naming both; neither the body nor the token goes there', async () => {
  profile();
  for (const status of [301, 302, 303, 307, 308]) {
    proxy.arm(isMethod('event.bind'), ({ res }) => void res.writeHead(status, { location: `${stranger.url}/rest/event.bind.json` }).end());
    const result = await portal.cli(['bind', 'ONCRMDEALADD', `https://hooks.example.com/r${status}`]);
    assert.equal(result.code, 1, `${status}: ${result.stderr}`);
    assert.match(result.stderr, new RegExp(`^error: ${proxy.url} redirected the request to ${stranger.url} \\(HTTP ${status}\\); it was not sent there — `));
    assert.doesNotMatch(result.stderr, /Bound/);
  }
  assert.deepEqual(stranger.seen, []);
  assert.equal(portal.sandbox.handlers(portal.app.clientId).length, 0);
});

test('an OAuth redirect to another host: the refresh token and the client secret stay home', async () => {
  profile(true);
  proxy.arm(isTokenRequest, ({ res }) => void res.writeHead(302, { location: `${stranger.url}/oauth/token/` }).end());
  const result = await portal.cli(['handlers']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /redirected the request to http:\/\/127\.0\.0\.1:\d+ \(HTTP 302\); it was not sent there/);
  assert.deepEqual(stranger.seen, []);
});

test('an endless reply is cut off at the cap with one clear line, not read until memory runs out', async () => {
  profile();
  let written = 0;
  proxy.arm(isMethod('event.get'), async ({ res }) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    while (!res.destroyed && written < 1024 * 1024 * 1024) {
      written += chunk.length;
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
    }
  });
  const result = await portal.cli(['handlers']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^error: 127\.0\.0\.1:\d+ sent a reply larger than 64 MiB \(HTTP 200\); it was not read further — no real reply is that large/);
  assert.ok(written < 200 * 1024 * 1024, `the connection was dropped at the cap (${written} bytes sent)`);
});

test('a reply that announces an oversized body is refused before reading it', async () => {
  profile();
  proxy.arm(isMethod('event.get'), ({ res }) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 512 * 1024 * 1024 });
    res.write('{"result":[');
  });
  const result = await portal.cli(['handlers']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /sent a reply larger than 64 MiB/);
});

test('an oversized or junk token reply replaces nothing in the config file', async () => {
  for (const junk of [{ access_token: 'a'.repeat(50 * 1024 * 1024) }, { access_token: '<html>Bad Gateway</html> and more' }, { refresh_token: '' }]) {
    profile(true);
    const before = portal.readConfig().profiles.admin!;
    proxy.arm(isTokenRequest, async ({ res, forward }) => {
      const reply = { ...tokenReply(await forward()), ...junk };
      sendJson(res, reply);
    });
    const result = await portal.cli(['handlers']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /^error: (the OAuth server 127\.0\.0\.1:\d+ replied HTTP 200 with unusable tokens \((access|refresh)_token does not look like a token\)|127\.0\.0\.1:\d+ sent a reply larger than 64 KiB)/,
    );
    const after = portal.readConfig().profiles.admin!;
    assert.equal(after.refreshToken, before.refreshToken, 'no junk saved');
    assert.equal(after.accessToken, before.accessToken);
  }
});

test('a reply dropped after the portal did the work: not repeated, and the line says it may have happened', async () => {
  profile();
  proxy.arm(isMethod('event.bind'), async ({ res, forward }) => {
    await forward();
    res.socket?.destroy();
  });
  const binds = () => portal.sandbox.requestLog().filter((entry) => entry.method === 'event.bind').length;
  const before = binds();
  const result = await portal.cli(['bind', 'ONCRMDEALADD', 'https://hooks.example.com/dropped']);
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /^error: event\.bind: cannot reach 127\.0\.0\.1:\d+: connection (closed before a reply|reset); the portal may have carried it out — /,
  );
  assert.match(result.stderr, /check with `b24-events handlers` \(or `offline list`\) before repeating it/);
  assert.equal(binds(), before + 1, 'sent once, never repeated');
  assert.equal(portal.sandbox.handlers(portal.app.clientId).length, 1, 'the portal did bind it');
});

test('a refresh whose reply is dropped says the token may be spent and what to do', async () => {
  profile(true);
  proxy.arm(isTokenRequest, async ({ res, forward }) => {
    await forward();
    res.socket?.destroy();
  });
  const result = await portal.cli(['handlers']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /the OAuth server may have spent the refresh token/);
  assert.match(result.stderr, /b24-events login/);
});

test('a token reply that moves client_endpoint elsewhere unconfirmed: refused, calls and tokens stay with the portal', async () => {
  profile(true);
  proxy.arm(isTokenRequest, async ({ res, forward }) => {
    sendJson(res, { ...tokenReply(await forward()), client_endpoint: `${stranger.url}/rest/` });
  });
  const result = await portal.cli(['handlers', '--json']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /warning: the OAuth server names http:\/\/127\.0\.0\.1:\d+ as this application's portal, but its reply does not confirm it/);
  assert.equal(portal.readConfig().profiles.admin!.portal, proxy.url, 'the saved portal is unchanged');
  const again = await portal.cli(['handlers', '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(stranger.seen, []);
  assertNoSecrets(result, secretsOf(portal));
});

test('a move the reply confirms (its domain names the new host) is followed and saved', async () => {
  const moved = await startProxy(portal.sandbox.url);
  try {
    profile(true);
    proxy.arm(isTokenRequest, async ({ res, forward }) => {
      sendJson(res, { ...tokenReply(await forward()), client_endpoint: `${moved.url}/rest/`, domain: new URL(moved.url).host });
    });
    const result = await portal.cli(['handlers', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /the OAuth server names http:\/\/127\.0\.0\.1:\d+ as this application's portal \(was http:\/\/127\.0\.0\.1:\d+\); using it/);
    assert.equal(portal.readConfig().profiles.admin!.portal, moved.url);
    assert.ok(
      moved.seen.some((req) => req.path.startsWith('/rest/event.get')),
      'later calls go to the new address',
    );
  } finally {
    await moved.close();
  }
});

test('an unconfirmed move names `login --profile NAME --portal NEW`; run as printed it moves that profile, and the move is not questioned again', async () => {
  const moved = await startProxy(portal.sandbox.url); // the same portal at a new address
  // The OAuth server names the new address, but its reply's domain does not confirm it.
  const namesMoved = () =>
    proxy.arm(isTokenRequest, async ({ res, forward }) => sendJson(res, { ...tokenReply(await forward()), client_endpoint: `${moved.url}/rest/` }));
  const tokenRequests = () => proxy.seen.filter(isTokenRequest).length;
  try {
    profile(); // the default profile, which the hint must not send the user to
    portal.writeProfile('moving', { portal: proxy.url, oauthServer: proxy.url, accessTokenExpires: 1 }, false);
    const profileOf = (name: string) => portal.readConfig().profiles[name]!;
    namesMoved();
    const first = await portal.cli(['handlers', '--json', '--profile', 'moving']);
    assert.equal(first.code, 0, first.stderr);
    const printed = /If the portal really moved: (b24-events login .+)$/m.exec(first.stderr)?.[1];
    assert.equal(printed, `b24-events login --profile moving --portal ${moved.url}`, first.stderr);
    assert.equal(profileOf('moving').portal, proxy.url, 'not moved without the user');

    namesMoved();
    const spent = tokenRequests();
    const pair = portal.sandbox.issueTokens(portal.app.clientId, 1);
    const prompter = scriptedPrompter([
      { kind: 'select', message: /How should b24-events get the tokens/, answer: 'paste' },
      { kind: 'password', message: /auth\[refresh_token\]/, answer: pair.refresh_token },
      { kind: 'password', message: /auth\[application_token\]/, answer: '' },
    ]);
    const login = await portal.cli(printed.split(' ').slice(1), { ...interactive, prompter });
    assert.equal(login.code, 0, login.stderr);
    assert.equal(tokenRequests(), spent + 1, 'the login was verified with the OAuth server that named the move');
    assert.match(login.stderr, new RegExp(`Re-authorized profile moving for ${moved.url}`));
    assert.equal(profileOf('moving').portal, moved.url);
    assert.equal(profileOf('admin').portal, proxy.url, 'the default profile is left alone');

    namesMoved();
    portal.sandbox.expireAccessTokens();
    const calls = moved.seen.length;
    const after = await portal.cli(['handlers', '--json', '--profile', 'moving']);
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.stderr, '', 'a reply naming the portal in use is no news');
    assert.ok(
      moved.seen.slice(calls).some((req) => req.path.startsWith('/rest/event.get')),
      'calls go to the new address',
    );
    assertNoSecrets(login, [...secretsOf(portal), pair.refresh_token]);
  } finally {
    await moved.close();
  }
});

test('an unconfirmed move in environment-only mode names the variable to set', async () => {
  proxy.arm(isTokenRequest, async ({ res, forward }) => sendJson(res, { ...tokenReply(await forward()), client_endpoint: `${stranger.url}/rest/` }));
  const { B24_ACCESS_TOKEN: _none, ...env } = portal.envCredentials(portal.sandbox.issueTokens(portal.app.clientId, 1));
  const result = await portal.cli(['handlers', '--json'], { env: { ...env, B24_PORTAL: proxy.url, B24_OAUTH_SERVER: proxy.url } });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, new RegExp(`does not confirm it .*If the portal really moved: set B24_PORTAL=${stranger.url}$`, 'm'));
  assert.deepEqual(stranger.seen, []);
});

test('portal-supplied strings are escaped on the terminal, in TSV, in error lines and traces; --json keeps the values', async () => {
  profile();
  const record = { event: 'ONCRMDEALADD\u001b]0;owned\u0007', handler: 'https://hooks.example.com/\u202egnp.exe\r✓ fake', auth_type: '0', offline: 0 };
  const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
  const serve = () => proxy.arm(isMethod('event.get'), ({ res }) => sendJson(res, { result: [record], time: {} }));
  serve();
  const table = await portal.cli(['handlers'], { tty: { stdoutIsTTY: true, columns: 200 } });
  assert.equal(table.code, 0, table.stderr);
  assert.doesNotMatch(table.stdout, raw);
  assert.match(table.stdout, /ONCRMDEALADD\\x1b\]0;owned\\x07/);
  assert.match(table.stdout, /https:\/\/hooks\.example\.com\/\\u202egnp\.exe\\x0d✓ fake/);
  serve();
  const tsv = await portal.cli(['handlers']);
  assert.doesNotMatch(tsv.stdout, raw);
  assert.match(tsv.stdout, /\\u202egnp\.exe\\r✓ fake/);
  serve();
  const json = await portal.cli(['handlers', '--json']);
  assert.doesNotMatch(json.stdout, /[\u202a-\u202e]/, 'no raw override even in JSON text');
  assert.deepEqual((JSON.parse(json.stdout) as { handler: string }[])[0]?.handler, record.handler, 'the same value once parsed');
  proxy.arm(isMethod('event.get'), ({ res }) =>
    sendJson(res, { error: 'ERROR_CORE', error_description: 'boom\u001b[2J\u001b[1A\r✓ Bound everything \u202e' }, 400),
  );
  const failed = await portal.cli(['handlers', '--debug']);
  assert.equal(failed.code, 1);
  assert.doesNotMatch(failed.stderr, raw);
  assert.match(failed.stderr, /boom\\x1b\[2J\\x1b\[1A\\x0d✓ Bound everything/);
});

test("init's event checklist shows portal-supplied names escaped, and binds them as the portal spelled them", async () => {
  const hostile = 'ONCRMDEALADD\u001b[2J\u202e';
  proxy.arm(isMethod('events'), ({ res }) => sendJson(res, { result: [hostile, 'ONCRMLEADADD'], time: {} }));
  const pair = portal.sandbox.issueTokens(portal.app.clientId, 1);
  const prompter = scriptedPrompter([
    { kind: 'confirm', message: /the default profile/, answer: false },
    { kind: 'confirm', message: /Bind events now/, answer: true },
    { kind: 'searchCheckbox', answer: [] },
  ]);
  const result = await portal.cli(['init', '--portal', proxy.url, '--oauth-server', proxy.url, '--client-id', portal.app.clientId, '--name', 'checklist'], {
    ...interactive,
    prompter,
    env: { CI: undefined, B24_CLIENT_SECRET: portal.app.clientSecret, B24_REFRESH_TOKEN: pair.refresh_token },
  });
  assert.equal(result.code, 0, result.stderr);
  const choices = prompter.asked.find((question) => question.kind === 'searchCheckbox')?.choices ?? [];
  assert.deepEqual(
    choices.map((choice) => choice.value),
    [hostile, 'ONCRMLEADADD'],
  );
  assert.doesNotMatch(choices.map((choice) => choice.name).join(' '), /[\u001b\u202e]/, 'no raw escape or override on the screen');
});
