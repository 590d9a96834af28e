import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setupPortal } from '../../helpers/portal.js';

// The user's own portal and profile: the demo must neither read nor write them.
const portal = await setupPortal();
portal.writeProfile('mine');
after(() => portal.close());
const configFile = join(portal.configDir, 'config.json');
const userEnv = { B24_PORTAL: 'https://unreachable.example.com', B24_CLIENT_ID: 'x', B24_CLIENT_SECRET: 'y', B24_REFRESH_TOKEN: 'z' };

test('demo: a tour of real commands on a throwaway portal, each shown as $ b24-events … with its output', async () => {
  const before = readFileSync(configFile, 'utf8');
  const requestsBefore = portal.sandbox.requestLog().length;
  const result = await portal.cli(['demo'], { env: userEnv });
  assert.equal(result.code, 0, result.stderr);
  const shown = result.stdout.split('\n').filter((line) => line.startsWith('$ b24-events '));
  const verbs = shown.map((line) => line.split(' ').slice(2, 4).join(' '));
  assert.deepEqual(verbs, [
    'status',
    'events --scope',
    'bind ONCRMDEALADD',
    'bind ONCRMDEALUPDATE',
    'handlers',
    'offline list',
    'offline drain',
    'plan -f',
    'apply -f',
    'unbind ONCRMDEALADD',
  ]);
  assert.match(result.stdout, /^POST \/b24\/deal\n {2}event=ONCRMDEALADD\n/m, 'what the local handler was sent');
  assert.match(result.stdout, /^ {2}auth\[access_token\]=\*{8}\w{4}$/m, 'tokens masked');
  assert.match(result.stdout, /"EVENT_NAME":"ONCRMDEALUPDATE"/, 'the drained event');
  assert.match(result.stderr, /✓ Bound ONCRMDEALADD → http:\/\/127\.0\.0\.1:\d+\/b24\/deal/);
  assert.equal(readFileSync(configFile, 'utf8'), before, "the user's config file is untouched");
  assert.equal(portal.sandbox.requestLog().length, requestsBefore, "the user's portal got no request");
});

test('demo --json: one document, every step with its exit code and output', async () => {
  const result = await portal.cli(['demo', '--json'], { env: userEnv });
  assert.equal(result.code, 0, result.stderr);
  const body = JSON.parse(result.stdout) as { ok: boolean; steps: { command: string; exit_code: number; stdout?: string }[] };
  assert.equal(body.ok, true);
  assert.ok(body.steps.length >= 11);
  assert.ok(body.steps.every((step) => step.exit_code === 0));
  assert.match(body.steps.find((step) => step.command.startsWith('b24-events offline drain'))?.stdout ?? '', /ONCRMDEALUPDATE/);
});
