import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { ACCESS_COOKIE, AppConfig, JWT_STRATEGY, KnownCredentials, Principal, unauthorized } from '@crescendo/platform';
import { apiKeyOf } from './api-key.strategy';
import { PrincipalResolver } from './principal.resolver';
import { AccessTokenPayload, accessTokenKey, VerifiedTokens } from './session.service';

const fromHeader = ExtractJwt.fromAuthHeaderAsBearerToken();
/** passport-jwt's typings name Express's request; under Nest's Fastify adapter it is a FastifyRequest. */
type PassportRequest = Parameters<Strategy['authenticate']>[0];

/**
 * The access token of a request: the Bearer header when there is an Authorization header (an API key
 * there is the api-key strategy's), else the HttpOnly cookie of a cookie session.
 */
export function accessTokenOf(request: FastifyRequest): string | null {
  if (request.headers.authorization) return fromHeader(request as never);
  return request.cookies?.[ACCESS_COOKIE] ?? null;
}

/**
 * passport-jwt: HS256 only (no `none`, no other algorithm), our issuer and audience, not expired; then
 * numeric `exp` and `iat` (a token without `exp` would never expire), then the membership and session
 * through the principal cache. A token passport-jwt verified is remembered until it expires, so a busy
 * client's token is not verified again on each request: its signature and claims cannot change.
 */
@Injectable()
export class JwtAccessStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    config: AppConfig,
    private readonly resolver: PrincipalResolver,
    private readonly verified: VerifiedTokens,
  ) {
    super({
      jwtFromRequest: accessTokenOf,
      // A KeyObject, which jsonwebtoken takes as it is (the typings say string | Buffer): given bytes, it
      // first tries and fails to parse them as a public key on every verification.
      secretOrKey: accessTokenKey(config) as unknown as Buffer,
      algorithms: ['HS256'],
      issuer: config.env.JWT_ISSUER,
      audience: config.env.JWT_AUDIENCE,
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  override authenticate(request: PassportRequest, options?: object): void {
    const token = accessTokenOf(request as unknown as FastifyRequest);
    const payload = token ? this.verified.get(token) : undefined;
    if (!payload) return super.authenticate(request, options);
    this.resolver.fromAccessToken(payload).then(
      (principal) => this.success(principal),
      (error: unknown) => this.error(error as Error),
    );
  }

  async validate(
    request: FastifyRequest,
    payload: AccessTokenPayload & { exp?: unknown; iat?: unknown },
  ): Promise<Principal> {
    if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) throw invalidToken();
    if (typeof payload.iat !== 'number' || !Number.isFinite(payload.iat)) throw invalidToken();
    this.verified.remember(accessTokenOf(request) as string, payload, payload.exp);
    return this.resolver.fromAccessToken(payload);
  }
}

const invalidToken = () => unauthorized('INVALID_TOKEN', 'The access token or API key is invalid or expired');

/**
 * For the authentication guard: the principal the JWT strategy would answer for an access token verified before
 * and a principal still cached. A request carrying an API key is the API-key strategy's (asked first): undefined.
 */
@Injectable()
export class KnownAccessTokens extends KnownCredentials {
  constructor(
    private readonly resolver: PrincipalResolver,
    private readonly verified: VerifiedTokens,
  ) {
    super();
  }

  principalOf(request: FastifyRequest): Principal | undefined {
    if (apiKeyOf(request) !== undefined) return undefined;
    const token = accessTokenOf(request);
    const payload = token ? this.verified.get(token) : undefined;
    return payload ? this.resolver.cachedFromAccessToken(payload) : undefined;
  }
}
