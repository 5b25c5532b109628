import { ExecutionContext, HttpStatus } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import passport from 'passport';
import { Strategy } from 'passport-strategy';
import type { AppConfig } from '../config/config.service';
import { AppException, unauthorized } from '../http/app.exception';
import { API_KEY_STRATEGY, AuthenticationGuard, JWT_STRATEGY } from './authentication.guard';
import { CsrfTokens } from './csrf';
import type { Principal } from './principal';

class SomeController {
  route(): void {}
}

const contextFor = (request: Partial<FastifyRequest>) =>
  ({
    getHandler: () => SomeController.prototype.route,
    getClass: () => SomeController,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
  }) as unknown as ExecutionContext;

const csrf = new CsrfTokens({ env: { JWT_SECRET: 'a-test-secret-a-test-secret-a-test-secret' } } as AppConfig);

/** A strategy that takes no credentials (the API-key one, for these requests). */
class NotMine extends Strategy {
  override authenticate(): void {
    this.fail(401);
  }
}

/** A strategy that answers what the test says. */
class Answering extends Strategy {
  constructor(private readonly answer: (request: FastifyRequest) => Promise<Principal | null>) {
    super();
  }

  override authenticate(request: unknown): void {
    this.answer(request as FastifyRequest).then(
      (principal) => (principal ? this.success(principal) : this.fail(401)),
      (error: Error) => this.error(error),
    );
  }
}

/** The guard over passport strategies registered under the names the identity feature uses. */
const guardWith = (authenticate: (request: FastifyRequest) => Promise<Principal | null>) => {
  passport.use(API_KEY_STRATEGY, new NotMine());
  passport.use(JWT_STRATEGY, new Answering(authenticate));
  return new AuthenticationGuard(new Reflector(), csrf);
};

const failure = async (promise: Promise<unknown>): Promise<AppException> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppException) return error;
    throw error;
  }
  throw new Error('the guard let the request through');
};

describe('AuthenticationGuard', () => {
  const withToken = { method: 'GET', headers: { authorization: 'Bearer abc' } };

  it('answers 401 AUTH_REQUIRED without credentials, before asking the strategies', async () => {
    const authenticate = jest.fn();
    const error = await failure(guardWith(authenticate).canActivate(contextFor({ method: 'GET', headers: {} })));
    expect([error.status, error.code]).toEqual([HttpStatus.UNAUTHORIZED, 'AUTH_REQUIRED']);
    expect(authenticate).not.toHaveBeenCalled();
  });

  it("passes the strategy's own refusal through", async () => {
    const guard = guardWith(() => Promise.reject(unauthorized('SESSION_REVOKED', 'revoked')));
    const error = await failure(guard.canActivate(contextFor(withToken)));
    expect([error.status, error.code]).toEqual([HttpStatus.UNAUTHORIZED, 'SESSION_REVOKED']);
  });

  it('answers 401 INVALID_TOKEN when no strategy takes the credentials', async () => {
    const error = await failure(guardWith(() => Promise.resolve(null)).canActivate(contextFor(withToken)));
    expect([error.status, error.code]).toEqual([HttpStatus.UNAUTHORIZED, 'INVALID_TOKEN']);
  });

  it('answers 503 when the credentials cannot be checked (a dependency failed), never 401', async () => {
    const guard = guardWith(() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')));
    const error = await failure(guard.canActivate(contextFor(withToken)));
    expect([error.status, error.code]).toEqual([HttpStatus.SERVICE_UNAVAILABLE, 'AUTHENTICATION_UNAVAILABLE']);
  });

  it('sets the principal on the request when the credentials are good', async () => {
    const principal = { userId: 'u', workspaceId: 'w' } as Principal;
    const request: Partial<FastifyRequest> & { principal?: Principal } = { ...withToken };
    await expect(guardWith(() => Promise.resolve(principal)).canActivate(contextFor(request))).resolves.toBe(true);
    expect(request.principal).toBe(principal);
  });

  describe('cookie session', () => {
    const principal = { userId: 'u', workspaceId: 'w', sessionId: 'session-1' } as Principal;
    const cookieRequest = (method: string, headers: Record<string, string> = {}) =>
      ({ method, headers, cookies: { accessToken: 'abc' } }) as unknown as FastifyRequest;

    it('needs no CSRF token to read', async () => {
      const guard = guardWith(() => Promise.resolve(principal));
      await expect(guard.canActivate(contextFor(cookieRequest('GET')))).resolves.toBe(true);
    });

    it("answers 403 to an unsafe request without its session's CSRF token, lets it through with it", async () => {
      const guard = guardWith(() => Promise.resolve(principal));
      const missing = await failure(guard.canActivate(contextFor(cookieRequest('POST'))));
      expect([missing.status, missing.code]).toEqual([HttpStatus.FORBIDDEN, 'CSRF_TOKEN_MISSING']);
      const otherSession = cookieRequest('DELETE', { 'x-csrf-token': csrf.tokenFor('session-2') });
      const wrong = await failure(guard.canActivate(contextFor(otherSession)));
      expect([wrong.status, wrong.code]).toEqual([HttpStatus.FORBIDDEN, 'CSRF_TOKEN_INVALID']);
      const good = cookieRequest('POST', { 'x-csrf-token': csrf.tokenFor('session-1') });
      await expect(guard.canActivate(contextFor(good))).resolves.toBe(true);
    });

    it('asks no CSRF token of a Bearer request', async () => {
      const guard = guardWith(() => Promise.resolve(principal));
      const request = { method: 'POST', headers: { authorization: 'Bearer abc' }, cookies: { accessToken: 'x' } };
      await expect(guard.canActivate(contextFor(request as unknown as FastifyRequest))).resolves.toBe(true);
    });
  });
});
