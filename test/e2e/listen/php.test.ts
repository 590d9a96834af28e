// What a PHP handler sees: the listener's delivery of an event, parsed by PHP ($_POST), equals the
// sandbox's own online delivery of the same event but for what differs per delivery (ts, the handler
// registration, the token itself and its expiry).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hasPhp, shapeOf, type Json } from '../../conformance/fixtures.js';
import { startPhpHandler, type PhpHandler } from '../../conformance/php-handler.js';
import { setupPortal, type TestPortal } from '../../helpers/portal.js';
import { listen, ready, until } from './helpers.js';

const PER_DELIVERY = ['access_token', 'expires', 'expires_in'];

describe('listen: the delivery as PHP parses it', async () => {
  const php = (await hasPhp()) ? await startPhpHandler() : undefined;
  let portal: TestPortal;
  before(async () => {
    portal = await setupPortal({ scopes: ['crm', 'user'] });
    portal.writeProfile('admin');
  });
  after(async () => {
    await php?.close();
    await portal.close();
  });

  it('equals the sandbox’s own online delivery of the same event', { skip: php ? false : 'php-cli is not installed' }, async () => {
    const handler = php as PhpHandler;
    assert.equal((await portal.cli(['bind', 'ONCRMCONTACTADD', handler.url])).code, 0, 'the online binding, as production has it');
    const listener = listen(portal, ['--events', 'ONCRMCONTACTADD', '--forward-to', handler.url]);
    try {
      await ready(listener);
      portal.sandbox.trigger('ONCRMCONTACTADD', { FIELDS: { ID: '134806', NAME: 'Müller & Söhne' } }, { userId: 1 });
      await until(() => handler.received().length === 2, 'both deliveries');
    } finally {
      assert.equal(await listener.stop(), 130);
    }
    const [online, listened] = handler.received().sort((a, b) => Number(a.post.event_handler_id === '0') - Number(b.post.event_handler_id === '0'));
    assert.ok(online?.roundTrip && listened?.roundTrip, 'http_build_query($_POST) rebuilds each body byte for byte');
    assert.deepEqual(shapeOf(listened?.post), shapeOf(online?.post), 'the same keys in the same order, the same value shapes');
    const comparable = (post: Json) => ({
      ...post,
      ts: undefined,
      event_handler_id: undefined,
      auth: Object.fromEntries(Object.entries(post.auth as Record<string, string>).filter(([key]) => !PER_DELIVERY.includes(key))),
    });
    assert.deepEqual(comparable(listened?.post), comparable(online?.post));
    assert.match(listened?.post.auth.access_token, /^[0-9a-f]{70}$/);
    assert.equal(listened?.post.auth.access_token, portal.readConfig().profiles.admin?.accessToken);
  });
});
