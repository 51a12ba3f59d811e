import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { FastifyReply as Response, FastifyRequest as Request } from 'fastify';
import { from, Observable, of, throwError } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Clock } from '../clock/clock';
import { AppError } from '../errors/app-error';
import { toErrorResponse } from '../errors/error-response';
import { principalKey } from '../../modules/auth/principal';
import { IdempotencyRepository } from './idempotency.repository';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const LOCK_MS = 60_000;

export const IdempotencyErrors = {
  invalidKey: () =>
    new AppError('IDEMPOTENCY_KEY_INVALID', 400, 'Idempotency-Key must be 1–255 printable ASCII characters.', [
      { field: 'Idempotency-Key', issue: 'must be 1–255 printable ASCII characters' },
    ]),
  reusedWithDifferentBody: () =>
    new AppError(
      'IDEMPOTENCY_KEY_REUSED',
      422,
      'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
      [{ field: 'Idempotency-Key', issue: 'was used with a different request body' }],
    ),
  inFlight: () =>
    new AppError('IDEMPOTENCY_KEY_IN_FLIGHT', 409, 'A request with this Idempotency-Key is still being processed; retry shortly.', [
      { field: 'Idempotency-Key', issue: 'a request with this key is in flight' },
    ], { 'Retry-After': '1' }),
};

/**
 * Stripe/Novu semantics for `Idempotency-Key` on every authenticated POST: the same key and body replay
 * the stored response (`Idempotent-Replayed: true`), a different body is a 422, a key in flight is a 409.
 * Client errors are stored and replayed too; server errors release the key so the client can retry.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly ttlMs: number;

  constructor(
    private readonly repository: IdempotencyRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttlMs = config.idempotency.ttlHours * 3_600_000;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const rawKey = request.headers[IDEMPOTENCY_HEADER];
    if (request.method !== 'POST' || rawKey === undefined || !request.principal) return next.handle();
    const key = Array.isArray(rawKey) ? rawKey[0] : rawKey;
    if (!KEY_PATTERN.test(key)) return throwError(() => IdempotencyErrors.invalidKey());

    const principal = principalKey(request.principal);
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url.split('?')[0]}\n${canonicalJson(request.body)}`)
      .digest('hex');

    return from(
      this.repository.claim({ principal, key, requestHash, now: this.clock.now(), lockMs: LOCK_MS, ttlMs: this.ttlMs }),
    ).pipe(
      mergeMap((existing) => {
        if (existing) {
          if (existing.request_hash !== requestHash) throw IdempotencyErrors.reusedWithDifferentBody();
          if (existing.state === 'in_flight') throw IdempotencyErrors.inFlight();
          response.status(existing.response_status ?? 200);
          response.header('Idempotent-Replayed', 'true');
          const body = existing.response_body as { requestId?: string } | null;
          // A replayed error keeps its shape but names this request.
          return of(body && typeof body === 'object' && 'error' in body ? { ...body, requestId: request.id } : body);
        }
        return next.handle().pipe(
          mergeMap(async (body: unknown) => {
            await this.repository.complete(principal, key, response.statusCode, body);
            return body;
          }),
          catchError(async (error: unknown) => {
            const { status, body } = toErrorResponse(error);
            if (status >= 500) await this.repository.release(principal, key);
            else await this.repository.complete(principal, key, status, body);
            throw error;
          }),
        );
      }),
    );
  }
}

/** JSON with sorted keys, so that the same body hashes the same whatever its key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
