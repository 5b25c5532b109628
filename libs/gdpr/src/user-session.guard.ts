import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { forbidden } from '@crescendo/platform';

/** A person's own data: only their signed-in session may ask, never an API key of a workspace. */
@Injectable()
export class GdprUserSessionGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    if (principal?.kind !== 'user') {
      throw forbidden('USER_SESSION_REQUIRED', 'This route acts on the signed-in user; API keys cannot use it');
    }
    return true;
  }
}
