import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { authorizeUrl, checkState, domainWarning, parseRedirect } from '../../../src/auth/authorize.js';
import { browserCommand } from '../../../src/auth/browser.js';
import { listenForRedirect, loopbackTarget } from '../../../src/auth/loopback.js';
import { suggestedName } from '../../../src/commands/init/steps.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (c: string) => (body += c))
        .on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('authorization helpers', () => {
  it('builds the authorize address on the portal with client_id and state', () => {
    assert.equal(authorizeUrl('https://x.bitrix24.com', 'local.a.b', 's1'), 'https://x.bitrix24.com/oauth/authorize/?client_id=local.a.b&state=s1');
  });

  it('reads a pasted redirect address or bare query, and refuses one without a code', () => {
    const r = parseRedirect('https://app.example.com/cb?code=C1&state=S&domain=x.bitrix24.com&member_id=M&scope=crm%2Ctask&server_domain=oauth.bitrix.info');
    assert.deepEqual(r, { code: 'C1', state: 'S', domain: 'x.bitrix24.com', memberId: 'M', scope: 'crm,task' });
    assert.equal(parseRedirect('?code=C2&state=T').code, 'C2');
    assert.throws(() => parseRedirect('https://app.example.com/cb?state=S'), /no code parameter/);
    assert.throws(() => parseRedirect('https://app.example.com/cb?error=access_denied'), /refused the authorization \(access_denied/);
  });

  it('checks state and names a foreign portal', () => {
    const r = parseRedirect('?code=C&state=good&domain=other.bitrix24.com');
    assert.doesNotThrow(() => checkState(r, 'good'));
    assert.throws(() => checkState(r, 'bad'), /state differs/);
    assert.equal(domainWarning(r, 'https://other.bitrix24.com'), undefined);
    assert.match(domainWarning(r, 'https://x.bitrix24.com') ?? '', /came from other\.bitrix24\.com, not x\.bitrix24\.com/);
  });

  it('listens only for loopback http redirect addresses with a port', () => {
    assert.deepEqual(loopbackTarget('http://localhost:8787/b24-events'), { hostname: 'localhost', port: 8787, path: '/b24-events' });
    assert.deepEqual(loopbackTarget('http://127.0.0.1:9000/'), { hostname: '127.0.0.1', port: 9000, path: '/' });
    assert.equal(loopbackTarget('https://localhost:8787/cb'), undefined);
    assert.equal(loopbackTarget('http://localhost/cb'), undefined);
    assert.equal(loopbackTarget('https://app.example.com/cb'), undefined);
    assert.equal(loopbackTarget(undefined), undefined);
  });

  it('the listener refuses a wrong state and keeps waiting, then takes the right one', async () => {
    const port = await freePort();
    const listener = await listenForRedirect({ hostname: '127.0.0.1', port, path: '/cb' }, 'S1');
    try {
      assert.equal((await get(`http://127.0.0.1:${port}/other?code=X&state=S1`)).status, 404);
      const wrong = await get(`http://127.0.0.1:${port}/cb?code=X&state=evil`);
      assert.equal(wrong.status, 400);
      assert.match(wrong.body, /state differs/);
      const right = await get(`http://127.0.0.1:${port}/cb/?code=GOOD&state=S1&domain=d`);
      assert.equal(right.status, 200);
      assert.equal((await listener.received).code, 'GOOD');
    } finally {
      await listener.close();
    }
  });

  it('opens a browser only when it can: BROWSER=none, no display, platform openers', () => {
    const url = 'https://x/?a=1&b=2';
    assert.equal(browserCommand(url, { BROWSER: 'none' }, 'linux'), undefined);
    assert.equal(browserCommand(url, {}, 'linux'), undefined);
    assert.deepEqual(browserCommand(url, { DISPLAY: ':0' }, 'linux'), ['xdg-open', url]);
    assert.deepEqual(browserCommand(url, {}, 'darwin'), ['open', url]);
    assert.deepEqual(browserCommand(url, {}, 'win32'), ['rundll32', 'url.dll,FileProtocolHandler', url]);
    assert.deepEqual(browserCommand(url, { BROWSER: 'firefox --new-window' }, 'linux'), ['firefox', '--new-window', url]);
  });

  it('suggests a profile name from the portal address', () => {
    assert.equal(suggestedName('https://Example.bitrix24.com'), 'example');
    assert.equal(suggestedName('http://127.0.0.1:4000'), 'local');
  });
});
