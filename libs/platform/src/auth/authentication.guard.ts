import { ExecutionContext, Injectable, Logger, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { AppException, serviceUnavailable, unauthorized } from '../http/app.exception';
import { ACCESS_COOKIE, CsrfTokens } from './csrf';
import { IS_PUBLIC } from './decorators';
import type { Principal } from './principal';

/**
 * Names of the passport strategies the identity feature registers. The guard asks them in this order: an
 * API key (`X-API-Key`, or `Authorization: Bearer crk_…`) first, then an access token (Bearer header, else
 * the HttpOnly access cookie). A strategy fails (next one) for credentials that are not its kind and
 * errors with an AppException (401 with its own code) for credentials it recognises but refuses.
 */
export const API_KEY_STRATEGY = 'api-key';
export const JWT_STRATEGY = 'jwt';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * What the identity feature can tell at once about a request's credentials: the principal of an access token it
 * verified and resolved moments ago, exactly what the JWT strategy would answer; undefined when it would have to
 * ask (an API key, a new token, an expired principal), and the guard goes through passport. Passport's round
 * (a middleware, a copy of each strategy with its five callbacks, promises) cost more than those two lookups.
 */
export abstract class KnownCredentials {
  abstract principalOf(request: FastifyRequest): Principal | undefined;
}

/**
 * Global guard: every route needs a valid access token or API key unless marked @Public(). No passport
 * session (`session: false`); the principal lands on `request.principal`. A request authenticated by the
 * access cookie alone must also send the CSRF token on unsafe methods.
 */
@Injectable()
export class AuthenticationGuard extends AuthGuard([API_KEY_STRATEGY, JWT_STRATEGY]) {
  private readonly logger = new Logger('AuthenticationGuard');

  constructor(
    private readonly reflector: Reflector,
    private readonly csrf: CsrfTokens,
    @Optional() private readonly known?: KnownCredentials,
  ) {
    super({ session: false, property: 'principal' });
  }

  /** Not async: a principal the identity feature knows at once lets the request through without a promise. */
  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const { headers } = request;
    const byCookie = !headers.authorization && !headers['x-api-key'];
    if (byCookie && !request.cookies?.[ACCESS_COOKIE]) {
      throw unauthorized(
        'AUTH_REQUIRED',
        'Authentication required: send a Bearer access token, an API key or the session cookie',
      );
    }
    const known = this.known?.principalOf(request);
    if (!known) return this.askStrategies(context, request, byCookie);
    request.principal = known;
    return this.checkCsrf(request, byCookie);
  }

  private async askStrategies(context: ExecutionContext, request: FastifyRequest, byCookie: boolean): Promise<boolean> {
    try {
      await super.canActivate(context);
    } catch (error) {
      if (error instanceof AppException) throw error;
      // The credentials could not be checked (database or Redis down): not the caller's fault, and a 401
      // would make clients drop a valid session. 503: retry later.
      this.logger.error({ err: error }, 'Could not check the credentials');
      throw serviceUnavailable('AUTHENTICATION_UNAVAILABLE', 'The credentials could not be checked right now; retry');
    }
    return this.checkCsrf(request, byCookie);
  }

  /** A browser sends cookies on cross-site requests too; headers it sends only for same-origin scripts. */
  private checkCsrf(request: FastifyRequest, byCookie: boolean): true {
    if (byCookie && !SAFE_METHODS.has(request.method)) this.csrf.check(request, request.principal as Principal);
    return true;
  }

  /** Passport's verdict: a strategy's own refusal as it is, else (no strategy took the credentials) 401. */
  override handleRequest<TUser = Principal>(error: unknown, principal: TUser | false): TUser {
    if (error) throw error;
    if (!principal) throw unauthorized('INVALID_TOKEN', 'The access token or API key is invalid or expired');
    return principal;
  }
}
