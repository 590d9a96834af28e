// One run of every top-level command through the built binary (the shim, the ESM entry, the real
// exit code), against the sandbox. Everything else about a command runs in-process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { commandTable } from '../../../src/commands/registry.js';
import { BIN, baseEnv, parseJson, type CliResult } from '../../helpers/cli.js';
import { setupPortal } from '../../helpers/portal.js';

const portal = await setupPortal();
portal.writeProfile('admin');
after(() => portal.close());
const run = (args: string[], options: { env?: Record<string, string>; input?: string } = {}) => portal.cli(args, { ...options, spawn: true });
const manifest = join(portal.configDir, 'smoke.json');
const HOOK = 'https://hooks.example.com/smoke';

/** Each top-level command: a real invocation and what its result must show. */
const smokes: Record<string, () => Promise<void>> = {
  demo: async () => expect(await run(['demo']), 0, { stdout: /^\$ b24-events unbind ONCRMDEALADD /m }),
  trigger: async () =>
    expect(await run(['trigger', 'ONCRMDEALADD', '--to', 'http://127.0.0.1:9/hook']), 1, {
      stderr: /cannot reach the handler at http:\/\/127\.0\.0\.1:9\/hook/,
    }),
  listen: async () => {
    const result = await run(['listen', '--cleanup', '--json']);
    expect(result, 0);
    assert.deepEqual(parseJson(result), { removed: [], left: [] });
  },
  completion: async () => {
    expect(await run(['completion', 'bash']), 0, { stdout: /^complete -F _b24_events b24-events$/m });
    expect(await run(['__complete', '--', 'offline', 'dr']), 0, { stdout: /^drain\n$/ });
  },
  init: async () => {
    const { sandbox, app } = portal;
    const pair = sandbox.issueTokens(app.clientId, 1);
    const result = await run(['init', '--portal', sandbox.url, '--oauth-server', sandbox.oauthUrl, '--client-id', app.clientId, '--name', 'smoke'], {
      env: { B24_CLIENT_SECRET: app.clientSecret, B24_REFRESH_TOKEN: pair.refresh_token },
    });
    expect(result, 0, { stderr: /saved/i });
  },
  login: async () => {
    const pair = portal.sandbox.issueTokens(portal.app.clientId, 1);
    expect(await run(['login', '--profile', 'smoke', '--refresh-token', '-'], { input: `${pair.refresh_token}\n` }), 0, { stderr: /smoke/ });
  },
  status: async () => {
    const result = await run(['status', '--json']);
    expect(result, 0);
    assert.equal(parseJson<{ user: { admin: boolean } }>(result).user.admin, true);
  },
  events: async () => expect(await run(['events', '--grep', 'dealadd']), 0, { stdout: /^ONCRMDEALADD$/m }),
  bind: async () => expect(await run(['bind', 'ONCRMDEALADD', HOOK]), 0, { stderr: /Bound ONCRMDEALADD/ }),
  handlers: async () => expect(await run(['handlers']), 0, { stdout: new RegExp(`^ONCRMDEALADD\tonline\t${HOOK}`, 'm') }),
  export: async () => expect(await run(['export', '-o', manifest]), 0),
  plan: async () => {
    writeFileSync(manifest, JSON.stringify({ version: 1, bindings: [{ event: 'ONCRMDEALUPDATE', offline: true }] }));
    expect(await run(['plan', '-f', manifest, '--detailed-exitcode']), 3, { stdout: /\+ ONCRMDEALUPDATE/ });
  },
  apply: async () => expect(await run(['apply', '-f', manifest]), 0, { stderr: /ONCRMDEALUPDATE/ }),
  unbind: async () => expect(await run(['unbind', 'ONCRMDEALADD', HOOK]), 0, { stderr: /1 handler/ }),
  offline: async () => {
    portal.sandbox.trigger('ONCRMDEALUPDATE', { FIELDS: { ID: '1' } }, { userId: 1 });
    const result = await run(['offline', 'drain']);
    expect(result, 0);
    assert.equal(result.stdout.trim().split('\n').length, 1);
  },
  profile: async () => expect(await run(['profile', 'list']), 0, { stdout: /^admin\b/m }),
  sandbox: async () => {
    const child = spawn(process.execPath, [BIN, 'sandbox', '--no-save', '--json'], { env: baseEnv(portal.configDir), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    for (let waited = 0; !stdout.includes('\n') && waited < 15_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    assert.match((JSON.parse(stdout) as { url: string }).url, /^http:\/\/127\.0\.0\.1:\d+$/);
    child.kill('SIGINT');
    assert.equal(await exited, 130);
  },
};

function expect(result: CliResult, code: number, output: { stdout?: RegExp; stderr?: RegExp } = {}): void {
  assert.equal(result.code, code, `exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  if (output.stdout) assert.match(result.stdout, output.stdout);
  if (output.stderr) assert.match(result.stderr, output.stderr);
}

test('every top-level command has a smoke run', () => {
  assert.deepEqual(Object.keys(smokes).sort(), commandTable.map((entry) => entry.name).sort());
});

for (const [name, smoke] of Object.entries(smokes)) test(`smoke: ${name}`, smoke);
