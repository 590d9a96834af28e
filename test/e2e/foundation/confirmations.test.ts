// Destructive commands at a terminal ask first (a scripted prompter answers), and a "no" changes nothing.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { interactive, scriptedPrompter } from '../../helpers/prompter.js';
import { setupPortal } from '../../helpers/portal.js';

const portal = await setupPortal();
portal.writeProfile('admin');
after(() => portal.close());
const HOOK = 'https://hooks.example.com/b24/confirm';
const atTerminal = (args: string[], answers: Parameters<typeof scriptedPrompter>[0]) => {
  const prompter = scriptedPrompter(answers);
  return portal.cli(args, { ...interactive, prompter }).then((result) => ({ ...result, prompter }));
};
const queued = () => portal.sandbox.queue(portal.app.clientId).length;
const bound = () => portal.sandbox.handlers(portal.app.clientId).length;

test('offline clear --all asks once; "no" deletes nothing, "yes" deletes the unreserved records', async () => {
  assert.equal((await portal.cli(['bind', 'ONCRMDEALUPDATE', '--offline'])).code, 0);
  for (let id = 1; id <= 3; id += 1) portal.sandbox.trigger('ONCRMDEALUPDATE', { FIELDS: { ID: id } });
  const declined = await atTerminal(['offline', 'clear', '--all'], [{ kind: 'confirm', message: /Delete all 3 unreserved records/, answer: false }]);
  assert.equal(declined.code, 0, declined.stderr);
  assert.match(declined.stderr, /Cancelled; nothing changed/);
  assert.equal(queued(), 3);
  const accepted = await atTerminal(['offline', 'clear', '--all'], [{ kind: 'confirm', answer: true }]);
  assert.equal(accepted.code, 0, accepted.stderr);
  assert.equal(queued(), 0);
  assert.equal(accepted.prompter.remaining, 0);
});

test('unbind --handler URL --all-events asks, naming the events; "no" keeps every binding', async () => {
  for (const event of ['ONCRMDEALADD', 'ONCRMLEADADD']) assert.equal((await portal.cli(['bind', event, HOOK])).code, 0);
  const before = bound();
  const declined = await atTerminal(
    ['unbind', '--handler', HOOK, '--all-events'],
    [{ kind: 'confirm', message: /from 2 events \(ONCRMDEALADD, ONCRMLEADADD\)/, answer: false }],
  );
  assert.equal(declined.code, 0, declined.stderr);
  assert.equal(bound(), before);
  const accepted = await atTerminal(['unbind', '--handler', HOOK, '--all-events'], [{ kind: 'confirm', answer: true }]);
  assert.equal(accepted.code, 0, accepted.stderr);
  assert.equal(bound(), before - 2);
});

test('apply --prune lists what it would remove, then asks; "no" applies nothing at all', async () => {
  assert.equal((await portal.cli(['bind', 'ONCRMDEALADD', HOOK])).code, 0);
  const manifest = join(portal.configDir, 'prune.json');
  writeFileSync(manifest, JSON.stringify({ version: 1, bindings: [{ event: 'ONCRMLEADADD', handler: HOOK }] }));
  const before = portal.sandbox.handlers(portal.app.clientId);
  const declined = await atTerminal(['apply', '-f', manifest, '--prune'], [{ kind: 'confirm', message: /^Remove \d+ bindings? from /, answer: false }]);
  assert.equal(declined.code, 0, declined.stderr);
  assert.match(declined.stderr, new RegExp(`- ONCRMDEALADD → ${HOOK}`));
  assert.deepEqual(portal.sandbox.handlers(portal.app.clientId), before, 'nothing added, nothing removed');
});

test('profile remove asks; "no" keeps the profile', async () => {
  portal.writeProfile('spare', {}, false);
  const declined = await atTerminal(['profile', 'remove', 'spare'], [{ kind: 'confirm', message: /Remove profile spare/, answer: false }]);
  assert.equal(declined.code, 0, declined.stderr);
  assert.ok(portal.readConfig().profiles.spare);
  const accepted = await atTerminal(['profile', 'remove', 'spare'], [{ kind: 'confirm', answer: true }]);
  assert.equal(accepted.code, 0, accepted.stderr);
  assert.equal(portal.readConfig().profiles.spare, undefined);
});

test('--client-secret - at a terminal asks with a masked prompt instead of refusing', async () => {
  const pair = portal.sandbox.issueTokens(portal.app.clientId, 1);
  const args = ['profile', 'add', 'typed', '--portal', portal.sandbox.url, '--oauth-server', portal.sandbox.oauthUrl, '--client-id', portal.app.clientId];
  const prompter = scriptedPrompter([{ kind: 'password', message: /^Client secret:$/, answer: portal.app.clientSecret }]);
  const result = await portal.cli([...args, '--client-secret', '-', '--refresh-token', pair.refresh_token], { ...interactive, prompter });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(prompter.remaining, 0);
  assert.equal(portal.readConfig().profiles.typed?.clientSecret, portal.app.clientSecret);
  assert.ok(!result.stdout.includes(portal.app.clientSecret) && !result.stderr.includes(portal.app.clientSecret));
});
