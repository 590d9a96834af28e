// Identifier and token generators. Shapes imitate the real ones (70-hex OAuth tokens, 32-character
// process ids and codes, `local.<hex>.<digits>` client ids) so clients that size or validate them on
// the sandbox keep working in production.
import { createHash, randomBytes, randomInt } from 'node:crypto';

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Lower-case alphanumeric string from a CSPRNG; used for tokens and codes. */
export function randomAlnum(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALNUM[byte % ALNUM.length];
  return out;
}

/**
 * An OAuth access or refresh token as a real portal issues them: 70 lower-case hex characters whose
 * first 8, read as a little-endian uint32, are the token's expiry in epoch seconds (observed in the
 * real tokens of bitrix24/b24phpsdk's test fixtures: `be45f066…` = 1727022526 = `auth[expires]`).
 * The rest is random here; on a real portal it encodes the portal and the user.
 */
export function oauthToken(expiresAtSec: number): string {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32LE(expiresAtSec >>> 0);
  return prefix.toString('hex') + randomHex(62);
}

/** Hex string of `length` characters. */
export function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}

/** A client id in the shape Bitrix24 shows for local applications. */
export function localClientId(): string {
  return `local.${randomHex(14)}.${String(randomInt(10_000_000, 100_000_000))}`;
}

/** md5 hex digest, as the server uses for MESSAGE_ID and application tokens. */
export function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
