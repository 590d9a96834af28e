// Identifier and token generators. Shapes imitate the real ones (32-character tokens and process ids,
// `local.<hex>.<digits>` client ids) so clients that validate lengths see realistic values.
import { createHash, randomBytes, randomInt } from 'node:crypto';

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Lower-case alphanumeric string from a CSPRNG; used for tokens and codes. */
export function randomAlnum(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALNUM[byte % ALNUM.length];
  return out;
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
