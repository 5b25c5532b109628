import { createParamDecorator, ExecutionContext, SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Permission } from './permissions';
import type { Principal } from './principal';
import { ApiErrors } from '../http/api-errors.decorator';

export const IS_PUBLIC = 'crescendo:public';
export const PERMISSIONS = 'crescendo:permissions';

/** No credentials needed. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Needs a signed-in user or an API key holding every listed permission. */
export function RequirePermissions(...permissions: Permission[]) {
  return applyDecorators(
    SetMetadata(PERMISSIONS, permissions),
    ApiBearerAuth('bearer'),
    ApiSecurity('apiKey'),
    ApiErrors(401, 403),
  );
}

/** Needs a signed-in user or an API key; no particular permission. */
export function Authenticated() {
  return applyDecorators(ApiBearerAuth('bearer'), ApiSecurity('apiKey'), ApiErrors(401));
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  return request.principal as Principal;
});
