import { SegmentedMessage } from 'sms-segments-calculator';

/**
 * Encoding and segment count come from Twilio's own calculator (sms-segments-calculator, MIT, maintained
 * by TwilioDevEd): it knows the GSM-7 basic and extension tables (extension characters take two septets),
 * the 160/153 and 70/67 limits, and counts UCS-2 by UTF-16 code units as carriers bill them. Hand-rolling
 * those tables is where the usual bugs live (ç is UCS-2, Ç is GSM-7; € and [ take two septets).
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSegmentInfo {
  encoding: SmsEncoding;
  segments: number;
  /** Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
  units: number;
}

export function measureSms(body: string): SmsSegmentInfo {
  const message = new SegmentedMessage(body, 'auto');
  const encoding = message.encodingName;
  const units = encoding === 'GSM-7' ? message.messageSize / 7 : message.messageSize / 16;
  return { encoding, segments: message.segmentsCount, units };
}

export function nonGsmCharacters(text: string): string[] {
  return new SegmentedMessage(text, 'auto').getNonGsmCharacters();
}

export function isGsm7(text: string): boolean {
  return nonGsmCharacters(text).length === 0;
}

/**
 * Intl output carries typographic characters outside GSM-7 (no-break and narrow no-break spaces in
 * "1 234,50 €" and "10:30 PM", en dashes in ranges); one of them would turn a whole Latin-script SMS into
 * UCS-2 and more than double its cost. Plain spaces and hyphens read the same on a phone.
 */
export function normaliseSmsText(text: string): string {
  return text
    .replace(/[\u00a0\u2000-\u200a\u202f\u205f]/g, ' ')
    .replace(/[\u2012\u2013\u2014\u2212]/g, '-')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\u2026/g, '...')
    .replace(/ {2,}/g, ' ');
}

// Letters that Unicode does not decompose into base letter plus accent.
const BASE_LETTER: Record<string, string> = { ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ı: 'i' };

/** Replaces each non-GSM letter by its base letter (ą→a, ł→l), leaving GSM-7 letters such as é or ö alone. */
export function foldToGsm7(text: string): string {
  const offending = new Set(nonGsmCharacters(text));
  if (offending.size === 0) return text;
  return Array.from(text)
    .map((c) => {
      if (!offending.has(c)) return c;
      const folded = BASE_LETTER[c] ?? c.normalize('NFD').replace(/\p{M}/gu, '');
      return folded !== '' && isGsm7(folded) ? folded : c;
    })
    .join('');
}
