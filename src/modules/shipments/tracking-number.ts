import { randomInt } from 'node:crypto';

/**
 * Passage tracking numbers: `PSG` + 12 random characters + 1 check character.
 *
 * The body uses Crockford's base-32 alphabet (no I, L, O, U: nothing to misread). The check character
 * is ISO/IEC 7064 MOD 37,36 over prefix and body, which catches every single-character substitution and
 * all but about 0.2 % of adjacent transpositions, so a mistyped number is rejected before any lookup.
 */
export const TRACKING_PREFIX = 'PSG';
const BODY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BODY_LENGTH = 12;
const CHECK_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const M = 36;

export const TRACKING_NUMBER_PATTERN = /^PSG[0-9A-HJKMNP-TV-Z]{12}[0-9A-Z]$/;

export function checkCharacter(payload: string): string {
  let p = M;
  for (const ch of payload) {
    const value = CHECK_ALPHABET.indexOf(ch);
    if (value < 0) throw new RangeError(`not an alphanumeric character: ${ch}`);
    let s = (p + value) % M;
    if (s === 0) s = M;
    p = (s * 2) % (M + 1);
  }
  return CHECK_ALPHABET[(M + 1 - p) % M];
}

export function generateTrackingNumber(): string {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body += BODY_ALPHABET[randomInt(BODY_ALPHABET.length)];
  const payload = TRACKING_PREFIX + body;
  return payload + checkCharacter(payload);
}

/** Upper-cases and strips spaces and dashes, as people type them. */
export function normalizeTrackingNumber(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}

export function isValidTrackingNumber(input: string): boolean {
  const value = normalizeTrackingNumber(input);
  if (!TRACKING_NUMBER_PATTERN.test(value)) return false;
  return checkCharacter(value.slice(0, -1)) === value.slice(-1);
}
