import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bindingSchema, manifestJsonSchema, manifestSchema } from '../../../src/manifest/schema.js';
import { setupPortal, type TestPortal } from '../../helpers/portal.js';
import { methodsSince, storedBindings, writeManifest } from './helpers.js';

const schemaFile = fileURLToPath(new URL('../../../../schema/b24-events.schema.json', import.meta.url));

describe('manifest validation, before anything is sent', () => {
  let portal: TestPortal;
  before(async () => {
    portal = await setupPortal();
    portal.writeProfile('main');
  });
  after(() => portal.close());

  async function planFails(content: unknown, env: Record<string, string> = {}, name = 'b24-events.json') {
    const file = writeManifest(portal, name, content);
    const sent = portal.sandbox.requestLog().length;
    const result = await portal.cli(['apply', '-f', file], { env });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, '');
    assert.deepEqual(methodsSince(portal, sent), [], 'nothing reaches the portal');
    return { file, stderr: result.stderr };
  }

  it('names the file, the entry (index and event) and the field', async () => {
    const { file, stderr } = await planFails({ bindings: [{ event: 'ONCRMDEALADD', handler: 'https://hooks.example.com/a' }, { event: 'ONCRMDEALUPDATE' }] });
    assert.match(stderr, new RegExp(`^error: invalid manifest ${file}: bindings\\[1\\] \\(ONCRMDEALUPDATE\\) handler: required for an online binding`));
    assert.equal(stderr.trim().split('\n').length, 1, 'one line');
  });

  it('reports unknown fields, bad types and every problem in one line', async () => {
    const { stderr } = await planFails({
      bindings: [
        { event: 'ONCRMDEALADD', handler: 'https://hooks.example.com/a', autch_type: 1 },
        { event: 'ONCRMDEALADD', handler: 'https://hooks.example.com/b', auth_type: -1 },
        { event: 'ONCRMDEALUPDATE', offline: true, handler: 'https://hooks.example.com/c' },
        { event: 'bad name!', handler: 'https://hooks.example.com/d' },
      ],
    });
    assert.match(stderr, /bindings\[0\] \(ONCRMDEALADD\) autch_type: unknown field/);
    assert.match(stderr, /bindings\[1\] \(ONCRMDEALADD\) auth_type: must be a user id/);
    assert.match(stderr, /bindings\[2\] \(ONCRMDEALUPDATE\) handler: unknown field/);
    assert.match(stderr, /bindings\[3\] \(BAD NAME!\) event: must be an event code/);
  });

  it('checks handler URLs, options and offline rules as bind does', async () => {
    let { stderr } = await planFails({ bindings: [{ event: 'ONTASKADD', handler: 'ftp://hooks.example.com/x' }] });
    assert.match(stderr, /bindings\[0\] \(ONTASKADD\) handler: the handler URL must use http or https/);
    ({ stderr } = await planFails({ bindings: [{ event: 'ONTASKADD', handler: 'https://hooks.example.com/x', options: { minTimeout: 5 } }] }));
    assert.match(stderr, /bindings\[0\] \(ONTASKADD\) options\.minTimeout: applies only to ONOFFLINEEVENT/);
    ({ stderr } = await planFails({ bindings: [{ event: 'ONOFFLINEEVENT', offline: true }] }));
    assert.match(stderr, /ONOFFLINEEVENT cannot be bound offline/);
  });

  it('refuses a binding listed twice (event names case-insensitive), and an entry without auth_type next to one with it', async () => {
    let { stderr } = await planFails({
      bindings: [
        { event: 'ONTASKADD', handler: 'https://hooks.example.com/x', auth_type: 0 },
        { event: 'onTaskAdd', handler: 'https://hooks.example.com/x', auth_type: '0' },
      ],
    });
    assert.match(stderr, /bindings\[1\] \(ONTASKADD\): the same binding as bindings\[0\]/);
    ({ stderr } = await planFails({
      bindings: [
        { event: 'ONTASKADD', handler: 'https://hooks.example.com/x' },
        { event: 'ONTASKADD', handler: 'https://hooks.example.com/x', auth_type: 1 },
      ],
    }));
    assert.match(stderr, /bindings\[1\] \(ONTASKADD\): the same binding as bindings\[0\] \(an entry without auth_type already matches every user\)/);
  });

  it('reports syntax errors with the file name, and a missing file with what to do', async () => {
    let { file, stderr } = await planFails('{"bindings": [', {});
    assert.match(stderr, new RegExp(`^error: ${file} is not valid JSON: `));
    ({ file, stderr } = await planFails('bindings:\n  - event: [unclosed\n', {}, 'bad.yaml'));
    assert.match(stderr, new RegExp(`^error: ${file} is not valid YAML: `));
    const missing = await portal.cli(['plan', '-f', 'nowhere.json']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^error: manifest nowhere\.json not found — .*b24-events export -o/);
  });

  it('substitutes ${VAR} in handler, connector and auth_type; $${VAR} stays literal', async () => {
    const file = writeManifest(portal, 'env.json', {
      bindings: [
        { event: 'ONCRMDEALADD', handler: 'https://${HOOKS_HOST}/b24/deal?tag=$${KEEP}' },
        { event: 'ONCRMDEALUPDATE', handler: 'https://${HOOKS_HOST}/b24/deal', auth_type: '${RUN_AS}' },
        { event: 'ONCRMLEADADD', offline: true, connector: '${CONNECTOR}' },
      ],
    });
    const env = { HOOKS_HOST: 'staging.example.com', RUN_AS: '1', CONNECTOR: 'erp' };
    const result = await portal.cli(['apply', '-f', file], { env });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      storedBindings(portal).map(({ event, handler, user, connector }) => ({ event, handler, user, connector })),
      [
        { event: 'ONCRMDEALADD', handler: 'https://staging.example.com/b24/deal?tag=${KEEP}', user: 0, connector: '' },
        { event: 'ONCRMDEALUPDATE', handler: 'https://staging.example.com/b24/deal', user: 1, connector: '' },
        { event: 'ONCRMLEADADD', handler: '', user: 0, connector: 'erp' },
      ],
    );
    const again = await portal.cli(['plan', '-f', file, '--detailed-exitcode'], { env });
    assert.equal(again.code, 0, again.stderr);
  });

  it('a missing or empty variable is an error naming it, never an empty string', async () => {
    const content = {
      bindings: [
        { event: 'ONTASKADD', handler: 'https://${HOOKS_HOST}/t' },
        { event: 'ONTASKUPDATE', handler: 'https://h.example.com/${TOKEN}' },
      ],
    };
    const { stderr } = await planFails(content, { HOOKS_HOST: '' });
    assert.match(stderr, /bindings\[0\] \(ONTASKADD\) handler: environment variable HOOKS_HOST is not set/);
    assert.match(stderr, /bindings\[1\] \(ONTASKUPDATE\) handler: environment variable TOKEN is not set/);
    assert.match(stderr, /a \$\{VAR\} never becomes an empty string/);
  });
});

describe('published JSON Schema', () => {
  it('is the one generated from the zod schema (regenerate: npm run build && node scripts/schema.mjs)', () => {
    assert.deepEqual(JSON.parse(readFileSync(schemaFile, 'utf8')), manifestJsonSchema());
  });

  it('describes both entry kinds, and the zod schema accepts and rejects the fixtures a reader would expect', () => {
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as {
      properties: { bindings: { items: { anyOf: { required: string[]; additionalProperties: boolean }[] } } };
    };
    const [online, offline] = schema.properties.bindings.items.anyOf;
    assert.deepEqual(online?.required, ['event', 'handler']);
    assert.deepEqual(offline?.required, ['event', 'offline']);
    assert.equal(online?.additionalProperties, false);
    const good = [
      { event: 'ONCRMDEALADD', handler: 'https://h.example.com/x', auth_type: 1 },
      { event: 'ONCRMDEALADD', handler: 'https://${HOST}/x', auth_type: '${USER_ID}' },
      { event: 'ONOFFLINEEVENT', handler: 'https://h.example.com/q', options: { minTimeout: 30 } },
      { event: 'ONCRMDEALUPDATE', offline: true, connector: 'erp' },
    ];
    const bad = [
      { event: 'ONCRMDEALADD' },
      { event: 'ONCRMDEALADD', handler: 'https://h.example.com/x', auth_type: 'admin' },
      { event: 'ONCRMDEALUPDATE', offline: true, handler: 'https://h.example.com/x' },
      { event: 'ONCRMDEALADD', handler: 'https://h.example.com/x', extra: 1 },
    ];
    for (const entry of good) assert.ok(bindingSchema.safeParse(entry).success, JSON.stringify(entry));
    for (const entry of bad) assert.ok(!bindingSchema.safeParse(entry).success, JSON.stringify(entry));
    assert.ok(manifestSchema.safeParse({ $schema: './schema.json', version: 1, bindings: good }).success);
    assert.ok(!manifestSchema.safeParse({ version: 2, bindings: [] }).success);
  });
});
