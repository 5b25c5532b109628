import { ExecutionContext, HttpStatus } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppException, unauthorized } from '../http/app.exception';
import { AuthenticationGuard, Authenticator } from './authentication.guard';
import type { Principal } from './principal';

class SomeController {
  route(): void {}
}

const contextFor = (request: Partial<FastifyRequest>) =>
  ({
    getHandler: () => SomeController.prototype.route,
    getClass: () => SomeController,
    switchToHttp: () => ({ getRequest: () => request }),
  }) as unknown as ExecutionContext;

const guardWith = (authenticate: Authenticator['authenticate']) =>
  new AuthenticationGuard(new Reflector(), { authenticate });

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
  const withToken = { headers: { authorization: 'Bearer abc' } };

  it('answers 401 AUTH_REQUIRED without credentials, before asking the authenticator', async () => {
    const authenticate = jest.fn();
    const error = await failure(guardWith(authenticate).canActivate(contextFor({ headers: {} })));
    expect([error.status, error.code]).toEqual([HttpStatus.UNAUTHORIZED, 'AUTH_REQUIRED']);
    expect(authenticate).not.toHaveBeenCalled();
  });

  it("passes the authenticator's own refusal through", async () => {
    const guard = guardWith(() => Promise.reject(unauthorized('SESSION_REVOKED', 'revoked')));
    const error = await failure(guard.canActivate(contextFor(withToken)));
    expect([error.status, error.code]).toEqual([HttpStatus.UNAUTHORIZED, 'SESSION_REVOKED']);
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
});
