// The config folder is where earlier versions (conf's default, env-paths without a suffix) kept it,
// so an upgrade finds its profiles; the start-up check looks there without loading conf.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import envPaths from 'env-paths';
import { defaultConfigDir } from '../../src/config/config-dir.js';

test('the config folder is the one conf chooses (env-paths, no suffix) on this platform', () => {
  assert.equal(defaultConfigDir(), envPaths('b24-events', { suffix: '' }).config);
});

test('elsewhere: macOS Preferences, Windows %APPDATA%\\…\\Config, Linux XDG_CONFIG_HOME or ~/.config', () => {
  assert.equal(defaultConfigDir({}, 'darwin', '/Users/a'), join('/Users/a', 'Library', 'Preferences', 'b24-events'));
  assert.equal(defaultConfigDir({ APPDATA: 'C:\\AD' }, 'win32', 'C:\\U'), join('C:\\AD', 'b24-events', 'Config'));
  assert.equal(defaultConfigDir({}, 'win32', '/u'), join('/u', 'AppData', 'Roaming', 'b24-events', 'Config'));
  assert.equal(defaultConfigDir({}, 'linux', '/home/a'), join('/home/a', '.config', 'b24-events'));
  assert.equal(defaultConfigDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/a'), join('/x', 'b24-events'));
});
