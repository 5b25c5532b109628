import { createParamDecorator, ExecutionContext, SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiSecurity } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Permission } from './permissions';
import type { Principal } from './principal';
import { ApiErrors } from '../http/api-errors.decorator';

export const IS_PUBLIC = 'crescendo:public';
export const PERMISSIONS = 'crescendo:permissions';

/** No credentials needed. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The credentials a guarded route takes: a Bearer token (access token or API key), X-API-Key, or the session cookie. */
const ApiCredentials = () =>
  applyDecorators(ApiBearerAuth('bearer'), ApiSecurity('apiKey'), ApiCookieAuth('sessionCookie'));

/** Needs a signed-in user or an API key holding every listed permission. */
export function RequirePermissions(...permissions: Permission[]) {
  return applyDecorators(SetMetadata(PERMISSIONS, permissions), ApiCredentials(), ApiErrors(401, 403));
}

/** Needs a signed-in user or an API key; no particular permission (403: a cookie session's missing CSRF token). */
export function Authenticated() {
  return applyDecorators(ApiCredentials(), ApiErrors(401, 403));
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  return request.principal as Principal;
});
