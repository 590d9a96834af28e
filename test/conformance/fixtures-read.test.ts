// Guard: every fixture in test/fixtures/ is read by a conformance test. A test names a fixture by
// its literal path ('methods/batch.json') or reads a whole folder (fixtureFolder('deliveries/'));
// a fixture nobody names is data nobody compares, and a named path that does not exist is a typo.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const FIXTURES = new URL('../../../test/fixtures/', import.meta.url);
const TESTS = new URL('../../../test/conformance/', import.meta.url);

function filesUnder(dir: URL, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return filesUnder(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
    return entry.name.endsWith('.json') ? [`${prefix}${entry.name}`] : [];
  });
}

/** The fixture paths and folders the conformance sources name, with the file naming each. */
function namedInTests(): { paths: Map<string, string>; folders: Map<string, string> } {
  const paths = new Map<string, string>();
  const folders = new Map<string, string>();
  for (const name of readdirSync(TESTS).filter((file) => file.endsWith('.ts'))) {
    const source = readFileSync(new URL(name, TESTS), 'utf8');
    for (const [, path] of source.matchAll(/'((?:[\w-]+\/)?[\w.-]+\.json)'/g)) paths.set(path ?? '', name);
    for (const [, folder] of source.matchAll(/fixtureFolder\('([\w-]+\/)'\)/g)) folders.set(folder ?? '', name);
  }
  return { paths, folders };
}

describe('conformance: every fixture is read by a test', () => {
  it('no fixture file in test/fixtures/ is left unread, and no test names a fixture that does not exist', () => {
    const files = filesUnder(FIXTURES);
    const { paths, folders } = namedInTests();
    const read = (file: string): boolean => paths.has(file) || [...folders.keys()].some((folder) => file.startsWith(folder));
    assert.deepEqual(
      files.filter((file) => !read(file)),
      [],
      'fixtures no test reads: compare them with the sandbox, or delete them',
    );
    const missing = [...paths].filter(([path]) => !files.includes(path)).map(([path, test]) => `${test}: ${path}`);
    assert.deepEqual(missing, [], 'fixture paths named in tests that do not exist');
    assert.ok(files.length >= 50, `the fixtures were found (${files.length})`);
  });
});
