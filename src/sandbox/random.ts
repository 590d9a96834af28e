// Identifier and token generators. Shapes imitate the real ones (70-hex OAuth tokens, 32-character
// process ids and codes, `local.<hex>.<digits>` client ids) so clients that size or validate them on
// the sandbox keep working in production.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { randomHex } from '../wire/tokens.js';

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Lower-case alphanumeric string from a CSPRNG; used for tokens and codes. */
export function randomAlnum(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALNUM[byte % ALNUM.length];
  return out;
}

export { oauthToken, randomHex } from '../wire/tokens.js';

/** A client id in the shape Bitrix24 shows for local applications. */
export function localClientId(): string {
  return `local.${randomHex(14)}.${String(randomInt(10_000_000, 100_000_000))}`;
}

/** md5 hex digest, as the server uses for MESSAGE_ID and application tokens. */
export function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
