import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyRequest as Request } from 'fastify';
import { CommonErrors } from '../errors/app-error';
import { principalKey } from '../../modules/auth/principal';

/**
 * Rate limits per API key for authenticated routes and per client IP for public ones.
 * Runs after AuthGuard (registered later), so the principal is known. Limits come from AppConfig
 * through the throttler's limit function (see http.module.ts).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(req: Request): Promise<string> {
    return req.principal ? principalKey(req.principal) : `ip:${req.ip ?? 'unknown'}`;
  }

  /** One budget per key (or IP) across all routes; the default key would also include the route's handler. */
  protected override generateKey(_: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(_: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw CommonErrors.rateLimited(Math.max(1, Math.ceil(detail.timeToBlockExpire)));
  }
}
