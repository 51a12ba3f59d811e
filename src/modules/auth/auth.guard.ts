import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest as Request } from 'fastify';
import { CommonErrors } from '../../common/errors/app-error';
import { ApiKeyService } from './api-key.service';
import { FailedAuthLimiter } from './failed-auth-limiter';
import { ADMIN_ROLES_KEY, AdminRole, AUTH_KINDS, PrincipalKind } from './principal';

/**
 * Resolves `Authorization: Bearer <key>` to a principal and checks the route allows its kind and, for admin
 * keys, its role (`@Roles`, default `admin` only).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
    private readonly failures: FailedAuthLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const kinds = this.reflector.getAllAndOverride<PrincipalKind[] | undefined>(AUTH_KINDS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!kinds) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const ip = request.ip ?? 'unknown';
    const wait = this.failures.retryAfterSeconds(ip);
    if (wait > 0) throw CommonErrors.rateLimited(wait);
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    const principal = match ? await this.keys.authenticate(match[1]) : null;
    if (!principal) {
      this.failures.recordFailure(ip);
      throw CommonErrors.unauthenticated();
    }
    if (!kinds.includes(principal.kind)) throw CommonErrors.forbidden(`This endpoint needs a ${kinds.join(' or ')} key.`);
    if (principal.kind === 'admin') {
      const roles = this.reflector.getAllAndOverride<AdminRole[] | undefined>(ADMIN_ROLES_KEY, [context.getHandler(), context.getClass()]) ?? ['admin'];
      if (!roles.includes(principal.role)) throw CommonErrors.forbidden(`This endpoint needs the ${roles.join(' or ')} role; this key has ${principal.role}.`);
    }
    request.principal = principal;
    return true;
  }
}
