import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';

export type Principal =
  | { kind: 'retailer'; keyId: string; retailerId: string }
  | { kind: 'carrier'; keyId: string; carrierId: string; carrierCode: string }
  | { kind: 'admin'; keyId: string; role: AdminRole };

export type AdminRole = 'agent' | 'supervisor' | 'admin';
export type PrincipalKind = Principal['kind'];

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export const AUTH_KINDS = 'passage:auth-kinds';
/** Which kinds of key may call a route. Routes without it are public. */
export const Auth = (...kinds: PrincipalKind[]) => SetMetadata(AUTH_KINDS, kinds);

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
