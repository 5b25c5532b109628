import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { forbidden } from '@crescendo/platform';

/** For routes about the signed-in user themself: an API key has no user preferences or profile. */
@Injectable()
export class UserSessionGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    if (principal?.kind === 'api_key') {
      throw forbidden('USER_SESSION_REQUIRED', 'This route acts on the signed-in user; API keys cannot use it');
    }
    return true;
  }
}
