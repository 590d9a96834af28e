import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, afterEach, before } from 'node:test';
import { setupPortal, type TestPortal } from '../../helpers/portal.js';
import { startTerminal, terminalEnv, type Terminal } from '../../helpers/terminal.js';

/** A port nobody listens on right now (for the loopback Handler path). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** What a browser does with the authorize address: the portal's answer, without following it. */
export async function approve(authorizeUrl: string): Promise<{ status: number; location: string }> {
  const reply = await fetch(authorizeUrl, { redirect: 'manual' });
  await reply.arrayBuffer();
  return { status: reply.status, location: reply.headers.get('location') ?? '' };
}

/** The authorize address b24-events printed on the screen. */
export function authorizeUrlOn(screen: string): string {
  const match = /https?:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\/\?\S+/.exec(screen);
  assert.ok(match, `no authorize address on screen:\n${screen}`);
  return match[0];
}

/** An authorization code for the portal's app, as the redirect would carry it. */
export async function freshCode(portal: TestPortal, clientId = portal.app.clientId): Promise<{ code: string; location: string }> {
  const { status, location } = await approve(`${portal.sandbox.url}/oauth/authorize/?client_id=${encodeURIComponent(clientId)}&state=test`);
  assert.equal(status, 302, 'the portal redirects to the application');
  const code = new URL(location).searchParams.get('code');
  assert.ok(code, `no code in ${location}`);
  return { code, location };
}

/** Fails when any secret is visible on the terminal. */
export function assertNoSecretOnScreen(screen: string, secrets: (string | undefined)[]): void {
  for (const secret of secrets) {
    if (secret && screen.includes(secret)) assert.fail(`a secret (…${secret.slice(-4)}) is visible on screen:\n${screen}`);
  }
}

/** A wizard asks; it never tells the person at the terminal to re-run with a flag (a `b24-events …` next step may have one). */
export function assertNoFlagHints(screen: string): void {
  const told = screen.replace(/`b24-events [^`]*`/g, '').match(/.*(?<![\w-])--[a-z][\w-]*.*/);
  if (told) assert.fail(`the wizard talks of a flag: "${told[0].trim()}"\n${screen}`);
}

export interface TerminalSuite {
  portal(): TestPortal;
  /** Starts the CLI in a terminal on this portal's config folder; closed after the test. */
  start(args: string[], env?: Record<string, string>): Terminal;
}

/** Call inside describe(): a sandbox portal for the suite, and terminals closed after each test. */
export function terminalSuite(): TerminalSuite {
  let portal: TestPortal | undefined;
  const open: Terminal[] = [];
  before(async () => {
    portal = await setupPortal();
  });
  afterEach(() => {
    for (const term of open.splice(0)) term.close();
  });
  after(async () => {
    await portal?.close();
  });
  const current = (): TestPortal => {
    assert.ok(portal, 'the portal starts in before()');
    return portal;
  };
  return {
    portal: current,
    start(args, env = {}) {
      const term = startTerminal(args, terminalEnv(current().configDir, env));
      open.push(term);
      return term;
    },
  };
}
