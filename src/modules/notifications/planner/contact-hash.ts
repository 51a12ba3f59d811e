import { createHash } from 'node:crypto';

/**
 * Preferences (STOP, unsubscribe) are keyed by a hash of the contact, so the table holds no email address
 * or phone number and an erasure has nothing to find there. Emails compare case-insensitively.
 */
export function contactHash(channel: 'email' | 'sms', contact: string): string {
  const normalized = channel === 'email' ? contact.trim().toLowerCase() : contact.replace(/[^\d+]/g, '');
  return createHash('sha256').update(`${channel}:${normalized}`).digest('hex');
}
