// The sandbox's hand-built certificates must be valid DER every time: its random serial once began
// with a 00 byte now and then (1 start in ~128), which OpenSSL refuses ("illegal padding"), so the CA
// was not trusted and a TLS client failed with "unable to verify the first certificate".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { generateSandboxTls, serialNumber } from '../../src/sandbox/tls.js';

test('sandbox TLS: a serial is positive and minimal whatever the random bytes (00 or 80 and above first)', () => {
  for (const first of [0x00, 0x01, 0x3f, 0x7f, 0x80, 0xff]) {
    const serial = serialNumber(Buffer.from([first, 0x05, ...Array<number>(14).fill(0)]));
    assert.equal(serial.length, 16);
    assert.ok(serial[0] !== 0 && (serial[0] as number) < 0x80, `first byte ${first.toString(16)} → ${serial[0]?.toString(16)}`);
  }
});

test('sandbox TLS: fresh CAs and server certificates parse, chain and verify', () => {
  for (let i = 0; i < 50; i++) {
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
