import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { FastifyRequest as Request } from 'fastify';

export type Principal =
  | { kind: 'retailer'; keyId: string; retailerId: string }
  | { kind: 'carrier'; keyId: string; carrierId: string; carrierCode: string }
  /** `userId`: the admin user the key was issued to (none for the bootstrap ADMIN_TOKEN and older keys). */
  | { kind: 'admin'; keyId: string; role: AdminRole; userId?: string };

export const ADMIN_ROLES = ['agent', 'supervisor', 'admin'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];
export type PrincipalKind = Principal['kind'];

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export const AUTH_KINDS = 'passage:auth-kinds';
/** Which kinds of key may call a route. Routes without it are public. */
export const Auth = (...kinds: PrincipalKind[]) => SetMetadata(AUTH_KINDS, kinds);

export const ADMIN_ROLES_KEY = 'passage:admin-roles';
/**
 * Which admin roles may call a route (method over class). An admin route without it is for the `admin` role
 * only, so a new endpoint is closed until someone opens it. Documented as `x-roles` in the OpenAPI document.
 */
export const Roles = (...roles: AdminRole[]) => applyDecorators(SetMetadata(ADMIN_ROLES_KEY, roles), ApiExtension('x-roles', roles));
/** Reading anything, working exceptions, resending messages, and previewing and declaring incidents: every role. */
export const ANY_ADMIN_ROLE: AdminRole[] = ['agent', 'supervisor', 'admin'];
/** Shipment status overrides, consignee erasure and closing incidents. */
export const SUPERVISOR_ROLES: AdminRole[] = ['supervisor', 'admin'];

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<Request>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without @Auth');
  return principal;
});

/** The calling retailer's id: every retailer-owned query is scoped by it. */
export const RetailerId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const principal = ctx.switchToHttp().getRequest<Request>().principal;
  if (principal?.kind !== 'retailer') throw new Error('RetailerId used on a route not restricted to retailer keys');
  return principal.retailerId;
});

/** Who an admin write is recorded as: the admin user when the key is theirs, otherwise the key. */
export function auditActor(principal: Principal): string {
  if (principal.kind === 'admin') return principal.userId ? `user:${principal.userId}` : `admin:${principal.keyId}`;
  return principalKey(principal);
}

/** A stable identity for rate limits and idempotency keys. */
export function principalKey(principal: Principal): string {
  switch (principal.kind) {
    case 'retailer':
      return `retailer:${principal.retailerId}`;
    case 'carrier':
      return `carrier:${principal.carrierId}`;
    case 'admin':
      return `admin:${principal.keyId}`;
  }
}
