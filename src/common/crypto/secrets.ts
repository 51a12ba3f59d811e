import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Secrets are shown once and stored only as their SHA-256 hash. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** `prefix` + 32 base62 characters (~190 bits). */
export function generateSecret(prefix: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const bytes = randomBytes(48);
  let out = '';
  for (const byte of bytes) {
    if (byte >= 248) continue; // keep the distribution uniform: 248 = 62 * 4
    out += alphabet[byte % 62];
    if (out.length === 32) break;
  }
  return out.length === 32 ? prefix + out : generateSecret(prefix);
}

/** The part of a key that is safe to show again: its kind prefix and the first 6 random characters. */
export function displayPrefix(secret: string, kindPrefix: string): string {
  return secret.slice(0, kindPrefix.length + 6);
}

export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
