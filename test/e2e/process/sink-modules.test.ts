// Each drain loads only the sink it uses: the forward sink (and what it needs) only with --forward-to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseEnv, spawnCli, tempConfigDir } from '../../helpers/cli.js';
import { runRecordingModules } from '../../helpers/loaded-modules.js';
import { startSandboxProcess } from '../../helpers/sandbox-process.js';

const FORWARD = 'dist/src/offline/sinks/forward.js';

test('the forward sink module loads only with --forward-to', async () => {
  const { dir, cleanup } = tempConfigDir();
  // its own process: the recorded runs below are synchronous and would stall an in-process portal
  const sandbox = await startSandboxProcess(dir);
  try {
    const cli = (args: string[]) => spawnCli([...args, '--profile', 'sandbox'], { configDir: dir });
    for (const args of [['bind', 'ONCRMDEALUPDATE', '--offline'], ...[1, 2].map((id) => ['trigger', 'ONCRMDEALUPDATE', '--data', `FIELDS.ID=${id}`])]) {
      const step = await cli(args);
      assert.equal(step.code, 0, step.stderr);
    }

    const plain = runRecordingModules(['offline', 'drain', '--profile', 'sandbox'], baseEnv(dir));
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(plain.stdout.trim().split('\n').length, 2, 'both events drained to stdout');
    assert.ok(plain.modules.includes('dist/src/offline/sinks/stdout.js'), 'the stdout sink was used');
    assert.ok(!plain.modules.includes(FORWARD), 'a drain to stdout loaded the forward sink');

    const forwarding = runRecordingModules(['offline', 'drain', '--profile', 'sandbox', '--forward-to', `${sandbox.info.url}/nowhere`], baseEnv(dir));
    assert.equal(forwarding.status, 0, forwarding.stderr);
    assert.ok(forwarding.modules.includes(FORWARD), '--forward-to loads the forward sink');
  } finally {
    await sandbox.stop();
    cleanup();
  }
});
