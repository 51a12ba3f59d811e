import { RETRY_POLICY, retryDelayMs } from './retry-policy';

const MINUTE = 60_000;
const total = (channel: 'email' | 'sms' | 'webhook', random: () => number) =>
  Array.from({ length: RETRY_POLICY[channel].maxAttempts - 1 }, (_, i) => retryDelayMs(channel, i + 1, random)).reduce((a, b) => a + b, 0);

describe('retry policy', () => {
  it('backs off exponentially up to a cap', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs('email', n, mid) / MINUTE)).toEqual([1, 4, 16, 60, 60]);
    expect(retryDelayMs('webhook', 20, mid)).toBe(6 * 60 * MINUTE);
  });

  it('spreads retries by ±20 % so failed messages do not come back in lockstep', () => {
    expect(retryDelayMs('sms', 1, () => 0)).toBe(48_000);
    expect(retryDelayMs('sms', 1, () => 1)).toBe(72_000);
  });

  it('gives email and SMS about 6 attempts over about 2 hours, webhooks about 12 over about a day', () => {
    expect(RETRY_POLICY.email.maxAttempts).toBe(6);
    expect(total('email', () => 0.5) / (60 * MINUTE)).toBeCloseTo(2.35, 1);
    expect(RETRY_POLICY.webhook.maxAttempts).toBe(12);
    expect(total('webhook', () => 0.5) / (60 * MINUTE)).toBeGreaterThan(20);
    expect(total('webhook', () => 0.5) / (60 * MINUTE)).toBeLessThan(30);
  });
});
