// The sandbox's hand-built certificates must be valid DER every time: its random serial once began
// with a 00 byte now and then (1 start in ~128), which OpenSSL refuses ("illegal padding"), so the CA
// was not trusted and a TLS client failed with "unable to verify the first certificate".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { generateSandboxTls } from '../../src/sandbox/tls.js';

test('sandbox TLS: 1,000 fresh CAs and server certificates all parse, chain and verify', () => {
  for (let i = 0; i < 1000; i++) {
    const tls = generateSandboxTls('127.0.0.1');
    const ca = new X509Certificate(tls.caCert);
    const leaf = new X509Certificate(tls.cert);
    assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey), `start ${i}: the server certificate is signed by the CA`);
    assert.equal(leaf.checkHost('localhost'), 'localhost');
    assert.equal(leaf.checkIP('127.0.0.1'), '127.0.0.1');
    assert.ok(ca.ca && !leaf.ca);
    createSecureContext({ ca: tls.caCert, cert: tls.cert, key: tls.key });
  }
});
