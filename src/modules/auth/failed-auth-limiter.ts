import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

const WINDOW_MS = 60_000;
const MAX_TRACKED = 50_000;

/**
 * Counts failed authentications per client IP in a one-minute window. Past the limit, the IP is refused
 * (429) for the rest of the window without a key lookup, so guessing keys costs the database nothing.
 * Per instance, in memory: it bounds one attacker, it is not a shared quota.
 */
@Injectable()
export class FailedAuthLimiter {
  private readonly windows = new Map<string, { start: number; failures: number }>();
  private readonly limit: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limit = config.rateLimit.authFailuresPerMinute;
  }

  /** Seconds until the IP may try again, or 0 when it may try now. */
  retryAfterSeconds(ip: string, now = Date.now()): number {
    const window = this.windows.get(ip);
    if (!window || now - window.start >= WINDOW_MS || window.failures < this.limit) return 0;
    return Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
  }

  recordFailure(ip: string, now = Date.now()): void {
    const window = this.windows.get(ip);
    if (window && now - window.start < WINDOW_MS) {
      window.failures += 1;
      return;
    }
    if (this.windows.size >= MAX_TRACKED) this.evictExpired(now);
    this.windows.set(ip, { start: now, failures: 1 });
  }

  private evictExpired(now: number): void {
    for (const [ip, window] of this.windows) if (now - window.start >= WINDOW_MS) this.windows.delete(ip);
    if (this.windows.size >= MAX_TRACKED) this.windows.clear();
  }
}
