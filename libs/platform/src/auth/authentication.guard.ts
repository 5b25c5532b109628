import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { AppException, unauthorized } from '../http/app.exception';
import { IS_PUBLIC } from './decorators';
import type { Principal } from './principal';

export const API_KEY_STRATEGY = 'api-key';
export const JWT_STRATEGY = 'jwt';

/**
 * Global guard: every route needs a valid access token or API key unless marked @Public().
 * The strategies themselves are registered by the identity feature.
 */
@Injectable()
export class AuthenticationGuard extends AuthGuard([API_KEY_STRATEGY, JWT_STRATEGY]) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!request.headers.authorization && !request.headers['x-api-key']) {
      throw unauthorized('AUTH_REQUIRED', 'Authentication required: send a Bearer access token or an API key');
    }
    return super.canActivate(context);
  }

  override handleRequest<T = Principal>(err: unknown, principal: T, _info: unknown, context: ExecutionContext): T {
    if (err instanceof AppException) throw err;
    if (err || !principal) throw unauthorized('INVALID_TOKEN', 'The access token or API key is invalid or expired');
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    request.principal = principal as unknown as Principal;
    // The request log (pino-http) sees the raw Node request; give it the caller too.
    (request.raw as typeof request.raw & { principal?: Principal }).principal = request.principal;
    return principal;
  }
}
