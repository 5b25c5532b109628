import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppException, unauthorized } from '../http/app.exception';
import { IS_PUBLIC } from './decorators';
import type { Principal } from './principal';

/** Turns a request's credentials (Authorization or X-API-Key) into its caller; the identity feature provides it. */
export interface Authenticator {
  /** Throws an AppException (401 with its own code) for credentials it recognises but refuses. */
  authenticate(request: FastifyRequest): Promise<Principal>;
}
export const AUTHENTICATOR = Symbol('AUTHENTICATOR');

/** Global guard: every route needs a valid access token or API key unless marked @Public(). */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!request.headers.authorization && !request.headers['x-api-key']) {
      throw unauthorized('AUTH_REQUIRED', 'Authentication required: send a Bearer access token or an API key');
    }
    try {
      request.principal = await this.authenticator.authenticate(request);
    } catch (error) {
      if (error instanceof AppException) throw error;
      throw unauthorized('INVALID_TOKEN', 'The access token or API key is invalid or expired');
    }
    return true;
  }
}
