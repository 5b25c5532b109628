import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppException, serviceUnavailable, unauthorized } from '../http/app.exception';
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
  private readonly logger = new Logger('AuthenticationGuard');

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
      // The credentials could not be checked (database or Redis down): not the caller's fault, and a 401
      // would make clients drop a valid session. 503: retry later.
      this.logger.error({ err: error }, 'Could not check the credentials');
      throw serviceUnavailable('AUTHENTICATION_UNAVAILABLE', 'The credentials could not be checked right now; retry');
    }
    return true;
  }
}
