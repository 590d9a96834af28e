// The no-credentials check looks for the config file where conf would put it, without loading conf.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { ConfigStore } from '../../src/config/store.js';
import { conventionalConfigFile } from '../../src/open-session.js';
import { tempConfigDir } from '../helpers/cli.js';

test('the config file checked for is the one conf uses (env-paths, no suffix) on this platform', () => {
  const { dir, cleanup } = tempConfigDir();
  const saved = process.env.XDG_CONFIG_HOME;
  try {
    // (conf makes its folder when constructed: under the temporary XDG_CONFIG_HOME, not the real home)
    process.env.XDG_CONFIG_HOME = dir;
    assert.equal(conventionalConfigFile(), new ConfigStore(undefined).path);
  } finally {
    if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = saved;
    cleanup();
  }
});

test('elsewhere: macOS Preferences, Windows %APPDATA%\\…\\Config, Linux XDG_CONFIG_HOME or ~/.config', () => {
  assert.equal(conventionalConfigFile('darwin', {}, '/Users/a'), join('/Users/a', 'Library', 'Preferences', 'b24-events', 'config.json'));
  assert.equal(conventionalConfigFile('win32', { APPDATA: 'C:\\AD' }, 'C:\\U'), join('C:\\AD', 'b24-events', 'Config', 'config.json'));
  assert.equal(conventionalConfigFile('win32', {}, '/u'), join('/u', 'AppData', 'Roaming', 'b24-events', 'Config', 'config.json'));
  assert.equal(conventionalConfigFile('linux', {}, '/home/a'), join('/home/a', '.config', 'b24-events', 'config.json'));
});
