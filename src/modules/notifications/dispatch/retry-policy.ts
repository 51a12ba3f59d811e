import type { MessageChannel } from './message.repository';

/**
 * Backoff with jitter per channel: email and SMS about 6 attempts over ~2 h, webhooks about 12 over ~24 h.
 * Pure: `random` is injected so tests can pin the jitter.
 */
export const RETRY_POLICY: Readonly<Record<MessageChannel, { maxAttempts: number; baseMs: number; factor: number; capMs: number }>> = {
  email: { maxAttempts: 6, baseMs: 60_000, factor: 4, capMs: 60 * 60_000 },
  sms: { maxAttempts: 6, baseMs: 60_000, factor: 4, capMs: 60 * 60_000 },
  webhook: { maxAttempts: 12, baseMs: 60_000, factor: 2, capMs: 6 * 60 * 60_000 },
};

/** Delay before the next attempt after `attempts` failed ones: exponential, capped, ±20 % jitter. */
export function retryDelayMs(channel: MessageChannel, attempts: number, random: () => number = Math.random): number {
  const policy = RETRY_POLICY[channel];
  const exponential = Math.min(policy.capMs, policy.baseMs * policy.factor ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.8 + 0.4 * random()));
}
