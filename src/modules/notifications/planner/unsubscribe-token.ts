import { createHmac, timingSafeEqual } from 'node:crypto';
import { contactHash } from './contact-hash';

export interface UnsubscribeClaim {
  retailerId: string;
  channel: 'email' | 'sms';
  /** The contact's hash, never the address itself: the link carries no personal data. */
  contactHash: string;
}

const sign = (key: string | Buffer, body: string) => createHmac('sha256', key).update(`unsubscribe.${body}`).digest('base64url');

/** `<payload>.<signature>`, both base64url; valid until the contact opts back in (it names no message). */
export function unsubscribeToken(key: string | Buffer, claim: { retailerId: string; channel: 'email' | 'sms'; contact: string }): string {
  const body = Buffer.from(JSON.stringify([claim.retailerId, claim.channel, contactHash(claim.channel, claim.contact)])).toString('base64url');
  return `${body}.${sign(key, body)}`;
}

export function verifyUnsubscribeToken(key: string | Buffer, token: string): UnsubscribeClaim | undefined {
  const [body, signature] = token.split('.');
  if (!body || !signature || body.length > 400) return undefined;
  const expected = Buffer.from(sign(key, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const [retailerId, channel, hash] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as [string, 'email' | 'sms', string];
    if (typeof retailerId !== 'string' || (channel !== 'email' && channel !== 'sms') || typeof hash !== 'string') return undefined;
    return { retailerId, channel, contactHash: hash };
  } catch {
    return undefined;
  }
}
