import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Window {
  start: number;
  current: number;
  previous: number;
  blockedUntil: number;
}

const MAX_KEYS = 100_000;

/**
 * Constant-cost rate-limit counters: a sliding window approximated from two fixed windows (the previous
 * window's count weighted by how much of it still overlaps). The throttler's default storage keeps one
 * timestamp per hit and filters them all on every request, which at hundreds of requests per second from
 * one key (a carrier, a proxy IP) became most of the process's CPU (see bench/README.md).
 */
@Injectable()
export class WindowThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly windows = new Map<string, Window>();

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    return this.hit(`${throttlerName}:${key}`, ttl, limit, blockDuration, Date.now());
  }

  hit(key: string, ttl: number, limit: number, blockDuration: number, now: number): ThrottlerStorageRecord {
    let w = this.windows.get(key);
    if (!w) {
      if (this.windows.size >= MAX_KEYS) this.evict(now, ttl);
      w = { start: now, current: 0, previous: 0, blockedUntil: 0 };
      this.windows.set(key, w);
    }
    const elapsedWindows = Math.floor((now - w.start) / ttl);
    if (elapsedWindows >= 1) {
      w.previous = elapsedWindows === 1 ? w.current : 0;
      w.current = 0;
      w.start += elapsedWindows * ttl;
    }
    const timeToExpire = Math.max(1, Math.ceil((w.start + ttl - now) / 1000));
    if (w.blockedUntil > now) {
      return { totalHits: limit + 1, timeToExpire, isBlocked: true, timeToBlockExpire: Math.ceil((w.blockedUntil - now) / 1000) };
    }
    const overlap = 1 - (now - w.start) / ttl;
    const estimate = w.previous * overlap + w.current;
    if (estimate >= limit) {
      w.blockedUntil = now + (blockDuration > 0 ? blockDuration : Math.max(1000, w.start + ttl - now));
      return { totalHits: limit + 1, timeToExpire, isBlocked: true, timeToBlockExpire: Math.ceil((w.blockedUntil - now) / 1000) };
    }
    w.current += 1;
    return { totalHits: Math.ceil(estimate) + 1, timeToExpire, isBlocked: false, timeToBlockExpire: 0 };
  }

  private evict(now: number, ttl: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= 2 * ttl && w.blockedUntil <= now) this.windows.delete(key);
    if (this.windows.size >= MAX_KEYS) this.windows.clear();
  }

  onApplicationShutdown(): void {
    this.windows.clear();
  }
}
