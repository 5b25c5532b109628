import { ExecutionContext, HttpStatus } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import passport from 'passport';
import { Strategy } from 'passport-strategy';
import type { AppConfig } from '../config/config.service';
import { AppException, unauthorized } from '../http/app.exception';
import { API_KEY_STRATEGY, AuthenticationGuard, JWT_STRATEGY, KnownCredentials } from './authentication.guard';
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
const guardWith = (
  authenticate: (request: FastifyRequest) => Promise<Principal | null>,
  known?: (request: FastifyRequest) => Principal | undefined,
) => {
  passport.use(API_KEY_STRATEGY, new NotMine());
  passport.use(JWT_STRATEGY, new Answering(authenticate));
  const knownCredentials =
    known &&
    new (class extends KnownCredentials {
      principalOf = known!;
    })();
  return new AuthenticationGuard(new Reflector(), csrf, knownCredentials);
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

/** As Nest calls a guard (in an async function): a refusal thrown at once is a rejection too. */
const activate = async (guard: AuthenticationGuard, context: ExecutionContext) => guard.canActivate(context);

describe('AuthenticationGuard', () => {
  const withToken = { method: 'GET', headers: { authorization: 'Bearer abc' } };

  it('answers 401 AUTH_REQUIRED without credentials, before asking the strategies', async () => {
    const authenticate = jest.fn();
    const error = await failure(activate(guardWith(authenticate), contextFor({ method: 'GET', headers: {} })));
    expect([error.status, error.code]).toEqual([HttpStatus.UNAUTHORIZED, 'AUTH_REQUIRED']);
    expect(authenticate).not.toHaveBeenCalled();
  });

  it("passes the strategy's own refusal through", async () => {
    const guard = guardWith(() => Promise.reject(unauthorized('SESSION_REVOKED', 'revoked')));
    const error = await failure(activate(guard, contextFor(withToken)));
    expect([error.status, error.code]).toEqual([HttpStatus.UNAUTHORIZED, 'SESSION_REVOKED']);
  });

  it('answers 401 INVALID_TOKEN when no strategy takes the credentials', async () => {
    const error = await failure(
      activate(
        guardWith(() => Promise.resolve(null)),
        contextFor(withToken),
      ),
    );
    expect([error.status, error.code]).toEqual([HttpStatus.UNAUTHORIZED, 'INVALID_TOKEN']);
  });

  it('answers 503 when the credentials cannot be checked (a dependency failed), never 401', async () => {
    const guard = guardWith(() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')));
    const error = await failure(activate(guard, contextFor(withToken)));
    expect([error.status, error.code]).toEqual([HttpStatus.SERVICE_UNAVAILABLE, 'AUTHENTICATION_UNAVAILABLE']);
  });

  it('sets the principal on the request when the credentials are good', async () => {
    const principal = { userId: 'u', workspaceId: 'w' } as Principal;
    const request: Partial<FastifyRequest> & { principal?: Principal } = { ...withToken };
    await expect(
      activate(
        guardWith(() => Promise.resolve(principal)),
        contextFor(request),
      ),
    ).resolves.toBe(true);
    expect(request.principal).toBe(principal);
  });

  describe('cookie session', () => {
    const principal = { userId: 'u', workspaceId: 'w', sessionId: 'session-1' } as Principal;
    const cookieRequest = (method: string, headers: Record<string, string> = {}) =>
      ({ method, headers, cookies: { accessToken: 'abc' } }) as unknown as FastifyRequest;

    it('needs no CSRF token to read', async () => {
      const guard = guardWith(() => Promise.resolve(principal));
      await expect(activate(guard, contextFor(cookieRequest('GET')))).resolves.toBe(true);
    });

    it("answers 403 to an unsafe request without its session's CSRF token, lets it through with it", async () => {
      const guard = guardWith(() => Promise.resolve(principal));
      const missing = await failure(activate(guard, contextFor(cookieRequest('POST'))));
      expect([missing.status, missing.code]).toEqual([HttpStatus.FORBIDDEN, 'CSRF_TOKEN_MISSING']);
      const otherSession = cookieRequest('DELETE', { 'x-csrf-token': csrf.tokenFor('session-2') });
      const wrong = await failure(activate(guard, contextFor(otherSession)));
      expect([wrong.status, wrong.code]).toEqual([HttpStatus.FORBIDDEN, 'CSRF_TOKEN_INVALID']);
      const good = cookieRequest('POST', { 'x-csrf-token': csrf.tokenFor('session-1') });
      await expect(activate(guard, contextFor(good))).resolves.toBe(true);
    });

    it('asks no CSRF token of a Bearer request', async () => {
      const guard = guardWith(() => Promise.resolve(principal));
      const request = { method: 'POST', headers: { authorization: 'Bearer abc' }, cookies: { accessToken: 'x' } };
      await expect(activate(guard, contextFor(request as unknown as FastifyRequest))).resolves.toBe(true);
    });
  });
});

describe('AuthenticationGuard with credentials the identity feature knows', () => {
  const principal = { userId: 'u', workspaceId: 'w', sessionId: 'session-1' } as Principal;

  it('lets a known principal through without asking the strategies', async () => {
    const authenticate = jest.fn();
    const request: Partial<FastifyRequest> & { principal?: Principal } = {
      method: 'GET',
      headers: { authorization: 'Bearer abc' },
    };
    expect(guardWith(authenticate, () => principal).canActivate(contextFor(request))).toBe(true);
    expect(request.principal).toBe(principal);
    expect(authenticate).not.toHaveBeenCalled();
  });

  it('asks the strategies when the principal is not known', async () => {
    const authenticate = jest.fn(() => Promise.reject(unauthorized('SESSION_REVOKED', 'revoked')));
    const guard = guardWith(authenticate, () => undefined);
    const error = await failure(activate(guard, contextFor({ method: 'GET', headers: { authorization: 'Bearer x' } })));
    expect([error.status, error.code]).toEqual([HttpStatus.UNAUTHORIZED, 'SESSION_REVOKED']);
    expect(authenticate).toHaveBeenCalledTimes(1);
  });

  it('still asks a known cookie session for its CSRF token on unsafe methods, and credentials of all', async () => {
    const guard = guardWith(jest.fn(), () => principal);
    const cookie = (method: string, headers: Record<string, string> = {}) =>
      contextFor({ method, headers, cookies: { accessToken: 'abc' } } as unknown as FastifyRequest);
    const missing = await failure(activate(guard, cookie('POST')));
    expect([missing.status, missing.code]).toEqual([HttpStatus.FORBIDDEN, 'CSRF_TOKEN_MISSING']);
    await expect(activate(guard, cookie('POST', { 'x-csrf-token': csrf.tokenFor('session-1') }))).resolves.toBe(true);
    const none = await failure(activate(guard, contextFor({ method: 'GET', headers: {} })));
    expect(none.code).toBe('AUTH_REQUIRED');
  });
});
