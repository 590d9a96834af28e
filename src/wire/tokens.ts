// Token shapes as real portals issue them, for the sandbox and for realistic demo deliveries.
import { randomBytes } from 'node:crypto';

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
