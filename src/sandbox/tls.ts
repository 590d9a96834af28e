// `--tls`: a throwaway certificate authority and a loopback server certificate, generated at start
// with node:crypto and a few lines of DER (no dependency, no `openssl` binary, works on any fresh
// machine). Loaded only when TLS is asked for. The CA's key never leaves memory, and its name
// constraints let it vouch for loopback names only (localhost, 127.0.0.0/8, ::1), so trusting its
// file (NODE_EXTRA_CA_CERTS) cannot make any other host trusted.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIPv4 } from 'node:net';

/** PEM texts for an HTTPS server and for the clients that should trust it. */
export interface SandboxTls {
  /** the CA certificate clients trust (NODE_EXTRA_CA_CERTS, a `ca` option) */
  caCert: string;
  /** the server's certificate and private key */
  cert: string;
  key: string;
}

const VALID_DAYS = 30;

/** A fresh CA and a server certificate for localhost, 127.0.0.1, ::1 and `host`. */
export function generateSandboxTls(host: string): SandboxTls {
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const server = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caName = name('b24-events sandbox CA');
  const caDer = certificate(caName, caName, ca.publicKey, ca.privateKey, [
    extension('2.5.29.19', true, seq(bool(true), int(Buffer.from([0])))), // basicConstraints: CA, pathLen 0
    extension('2.5.29.15', true, bitString(Buffer.from([0x06]), 1)), // keyUsage: keyCertSign, cRLSign
    extension('2.5.29.14', false, octet(keyId(ca.publicKey))), // subjectKeyIdentifier
    extension(
      '2.5.29.30',
      true,
      seq(
        tlv(
          0xa0,
          loopbackNames().map((general) => seq(general)),
        ),
      ),
    ), // nameConstraints
  ]);
  const serverDer = certificate(name('localhost'), caName, server.publicKey, ca.privateKey, [
    extension('2.5.29.19', true, seq()), // basicConstraints: not a CA
    extension('2.5.29.15', true, bitString(Buffer.from([0x80]), 7)), // keyUsage: digitalSignature
    extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))), // extKeyUsage: serverAuth
    extension('2.5.29.35', false, seq(tlv(0x80, [keyId(ca.publicKey)]))), // authorityKeyIdentifier
    extension('2.5.29.17', false, seq(...serverNames(host))), // subjectAltName
  ]);
  return {
    caCert: pem('CERTIFICATE', caDer),
    cert: pem('CERTIFICATE', serverDer),
    key: server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function certificate(subject: Buffer, issuer: Buffer, publicKey: KeyObject, signer: KeyObject, extensions: Buffer[]): Buffer {
  const now = Date.now();
  const algorithm = seq(oid('1.2.840.10045.4.3.2')); // ecdsa-with-SHA256
  const serial = serialNumber(randomBytes(16));
  const tbs = seq(
    tlv(0xa0, [int(Buffer.from([2]))]), // version v3
    int(serial),
    algorithm,
    issuer,
    seq(utcTime(now - 3600_000), utcTime(now + VALID_DAYS * 86_400_000)),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, [seq(...extensions)]),
  );
  return seq(tbs, algorithm, bitString(sign('sha256', tbs, signer), 0));
}

/**
 * A certificate serial from random bytes, as DER wants it: positive, and minimal. A first byte of 00
 * followed by one below 80 is not minimal, and OpenSSL refuses such a certificate ("illegal padding"):
 * a CA it refuses is never trusted, so the top two bits are fixed to 01.
 */
export function serialNumber(random: Buffer): Buffer {
  const serial = Buffer.from(random);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  return serial;
}

// GeneralNames: dNSName [2], iPAddress [7] (an address for a SAN, address + mask for a constraint).
const dnsName = (text: string): Buffer => tlv(0x82, [Buffer.from(text, 'ascii')]);
const ipAddress = (bytes: number[]): Buffer => tlv(0x87, [Buffer.from(bytes)]);
const IPV6_LOOPBACK = [...Array<number>(15).fill(0), 1];

function loopbackNames(): Buffer[] {
  return [dnsName('localhost'), ipAddress([127, 0, 0, 0, 255, 0, 0, 0]), ipAddress([...IPV6_LOOPBACK, ...Array<number>(16).fill(255)])];
}

function serverNames(host: string): Buffer[] {
  const names = [dnsName('localhost'), ipAddress([127, 0, 0, 1]), ipAddress(IPV6_LOOPBACK)];
  if (isIPv4(host) && host !== '127.0.0.1') names.push(ipAddress(host.split('.').map(Number)));
  return names;
}

function name(commonName: string): Buffer {
  return seq(tlv(0x31, [seq(oid('2.5.4.3'), tlv(0x0c, [Buffer.from(commonName, 'utf8')]))]));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octet(value)) : seq(oid(id), octet(value));
}

function keyId(publicKey: KeyObject): Buffer {
  return createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest();
}

function utcTime(ms: number): Buffer {
  const iso = new Date(ms).toISOString(); // 2026-01-02T03:04:05.678Z
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return tlv(0x17, [Buffer.from(text, 'ascii')]);
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

// DER: tag, length (short or long form), content.
function tlv(tag: number, parts: Buffer[]): Buffer {
  const content = Buffer.concat(parts);
  const length = content.length;
  let header: number[];
  if (length < 0x80) header = [length];
  else {
    const bytes: number[] = [];
    for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
    header = [0x80 | bytes.length, ...bytes];
  }
  return Buffer.concat([Buffer.from([tag, ...header]), content]);
}

const seq = (...items: Buffer[]): Buffer => tlv(0x30, items);
const octet = (content: Buffer): Buffer => tlv(0x04, [content]);
const bool = (value: boolean): Buffer => tlv(0x01, [Buffer.from([value ? 0xff : 0])]);
const bitString = (content: Buffer, unusedBits: number): Buffer => tlv(0x03, [Buffer.from([unusedBits]), content]);

function int(bytes: Buffer): Buffer {
  return tlv(0x02, [(bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes]);
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = arc >> 7; value > 0; value >>= 7) chunk.unshift((value & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, [Buffer.from(bytes)]);
}
