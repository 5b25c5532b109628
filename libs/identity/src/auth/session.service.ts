import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { createSecretKey, KeyObject, randomUUID } from 'node:crypto';
import { DataSource, IsNull, Not, Repository } from 'typeorm';
import { AppConfig, randomToken, sha256, unauthorized } from '@crescendo/platform';
import { AuditService, LogLevel, LogType } from '@crescendo/audit';
import { RefreshTokenEntity } from './refresh-token.entity';
import { PrincipalCache, sessionTag, userTag } from './principal.cache';

export interface AccessTokenPayload {
  sub: string;
  wid: string;
  sid: string;
  typ: 'access';
}

/**
 * The HS256 key as a KeyObject: given a string, jsonwebtoken first tries (and fails) to parse it as a
 * public key on every verify, which cost about a tenth of the CPU of an authenticated request.
 */
export function accessTokenKey(config: AppConfig): KeyObject {
  return createSecretKey(Buffer.from(config.env.JWT_SECRET, 'utf8'));
}

/** Verified access tokens kept at most (a few MB); past it, expired ones go, then all. */
const MAX_VERIFIED_TOKENS = 10_000;

/**
 * Access tokens whose signature and claims were verified, until they expire: nothing about a token can
 * change but time, so a busy client's token is not verified again on every request. Whether its session
 * and membership are still live is the PrincipalResolver's question, asked each time.
 */
@Injectable()
export class VerifiedTokens {
  private readonly tokens = new Map<string, { payload: AccessTokenPayload; expiresAt: number }>();

  get(token: string): AccessTokenPayload | undefined {
    const known = this.tokens.get(token);
    return known && known.expiresAt > Date.now() ? known.payload : undefined;
  }

  /** `exp` in seconds, as in the token. */
  remember(token: string, payload: AccessTokenPayload, exp: number): void {
    if (this.tokens.size >= MAX_VERIFIED_TOKENS) this.forgetExpired();
    this.tokens.set(token, { payload: Object.freeze(payload), expiresAt: exp * 1000 });
  }

  private forgetExpired(): void {
    const now = Date.now();
    for (const [token, { expiresAt }] of this.tokens) if (expiresAt <= now) this.tokens.delete(token);
    if (this.tokens.size >= MAX_VERIFIED_TOKENS) this.tokens.clear();
  }
}

export interface IssuedSession {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  refreshExpiresAt: Date;
  familyId: string;
  userId: string;
  workspaceId: string;
}

export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

/** Access tokens (short JWTs) and refresh-token families: issue, rotate, detect reuse, revoke. */
@Injectable()
export class SessionService {
  constructor(
    private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(RefreshTokenEntity) private readonly tokens: Repository<RefreshTokenEntity>,
    private readonly principals: PrincipalCache,
    private readonly verifiedTokens: VerifiedTokens,
  ) {}

  /** Starts a new session (token family) for a user in a workspace. */
  async start(userId: string, workspaceId: string, rememberMe: boolean, client: ClientInfo): Promise<IssuedSession> {
    return this.issue(this.tokens, { userId, workspaceId, familyId: randomUUID(), rememberMe, parentId: null }, client);
  }

  /**
   * Exchanges a refresh token for a new pair. A token already rotated more than the grace period ago is
   * a stolen copy: the whole family is revoked. Within the grace period (parallel tabs racing to refresh)
   * a sibling is issued instead, so a user is never locked out by their own concurrent requests.
   */
  async rotate(presented: string, client: ClientInfo): Promise<IssuedSession> {
    const hash = sha256(presented);
    const outcome = await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(RefreshTokenEntity);
      const token = await repo.findOne({ where: { tokenHash: hash }, lock: { mode: 'pessimistic_write' } });
      if (!token) return { error: 'REFRESH_TOKEN_INVALID' as const };
      if (token.revokedAt) return { error: 'REFRESH_TOKEN_REVOKED' as const };
      if (token.expiresAt.getTime() <= Date.now()) return { error: 'REFRESH_TOKEN_EXPIRED' as const };
      if (token.rotatedAt) {
        const graceMs = this.config.env.REFRESH_REUSE_GRACE_SECONDS * 1000;
        if (Date.now() - token.rotatedAt.getTime() > graceMs) {
          await this.revokeFamilyWith(repo, token.familyId, 'reuse_detected');
          return { error: 'REFRESH_TOKEN_REUSED' as const, token };
        }
      } else {
        await repo.update(token.id, { rotatedAt: new Date() });
      }
      const session = await this.issue(repo, { ...token, parentId: token.id }, client);
      return { session };
    });
    if ('session' in outcome && outcome.session) return outcome.session;
    if (outcome.error === 'REFRESH_TOKEN_REUSED' && outcome.token) {
      await this.principals.invalidate(sessionTag(outcome.token.familyId));
      await this.audit.record({
        type: LogType.Auth,
        level: LogLevel.Warn,
        action: 'refresh_reuse',
        message: 'A rotated refresh token was presented again; the session was revoked',
        userId: outcome.token.userId,
        workspaceId: outcome.token.workspaceId,
        metadata: { familyId: outcome.token.familyId, ip: client.ip },
      });
      throw unauthorized('REFRESH_TOKEN_REUSED', 'This refresh token was already used; the session has been revoked');
    }
    const messages = {
      REFRESH_TOKEN_INVALID: 'The refresh token is invalid',
      REFRESH_TOKEN_REVOKED: 'The session has been revoked',
      REFRESH_TOKEN_EXPIRED: 'The refresh token has expired',
    } as const;
    const code = outcome.error as keyof typeof messages;
    throw unauthorized(code, messages[code]);
  }

  /** The family a refresh token belongs to, if the token is known. */
  async familyOf(presented: string): Promise<RefreshTokenEntity | null> {
    return this.tokens.findOne({ where: { tokenHash: sha256(presented) } });
  }

  async revokeFamily(familyId: string, reason: string): Promise<void> {
    await this.revokeFamilyWith(this.tokens, familyId, reason);
    await this.principals.invalidate(sessionTag(familyId));
  }

  /** Revokes every session of a user, except `keepFamilyId` (the caller's own) when given. */
  async revokeAllForUser(userId: string, reason: string, keepFamilyId?: string): Promise<void> {
    await this.tokens.update(
      { userId, revokedAt: IsNull(), ...(keepFamilyId ? { familyId: Not(keepFamilyId) } : {}) },
      { revokedAt: new Date(), revokedReason: reason },
    );
    await this.principals.invalidate(userTag(userId));
  }

  async revokeAllForUserInWorkspace(userId: string, workspaceId: string, reason: string): Promise<void> {
    await this.tokens.update(
      { userId, workspaceId, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedReason: reason },
    );
    await this.principals.invalidate(userTag(userId));
  }

  /**
   * Checks an access token outside the guard (sign-out, instance administrators): HS256 only, our issuer
   * and audience, numeric `exp` and `iat`, not expired; the same rules as the JwtAccessStrategy.
   */
  verifyAccessToken(token: string): AccessTokenPayload {
    const known = this.verifiedTokens.get(token);
    if (known) return known;
    const payload = this.jwt.verify<AccessTokenPayload & { exp?: unknown; iat?: unknown }>(token, {
      algorithms: ['HS256'],
      issuer: this.config.env.JWT_ISSUER,
      audience: this.config.env.JWT_AUDIENCE,
    });
    if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) throw new Error('Access token without exp');
    if (typeof payload.iat !== 'number' || !Number.isFinite(payload.iat)) throw new Error('Access token without iat');
    this.verifiedTokens.remember(token, payload, payload.exp);
    return payload;
  }

  private async revokeFamilyWith(repo: Repository<RefreshTokenEntity>, familyId: string, reason: string) {
    await repo.update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date(), revokedReason: reason });
  }

  private async issue(
    repo: Repository<RefreshTokenEntity>,
    family: { userId: string; workspaceId: string; familyId: string; rememberMe: boolean; parentId: string | null },
    client: ClientInfo,
  ): Promise<IssuedSession> {
    const env = this.config.env;
    const days = family.rememberMe ? env.REFRESH_REMEMBER_ME_TTL_DAYS : env.REFRESH_TTL_DAYS;
    const refreshExpiresAt = new Date(Date.now() + days * 86_400_000);
    const refreshToken = randomToken(32);
    await repo.insert({
      familyId: family.familyId,
      userId: family.userId,
      workspaceId: family.workspaceId,
      tokenHash: sha256(refreshToken),
      rememberMe: family.rememberMe,
      expiresAt: refreshExpiresAt,
      parentId: family.parentId,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      ip: client.ip ?? null,
    });
    const payload: AccessTokenPayload = {
      sub: family.userId,
      wid: family.workspaceId,
      sid: family.familyId,
      typ: 'access',
    };
    const accessToken = await this.jwt.signAsync(payload, {
      algorithm: 'HS256',
      expiresIn: env.JWT_ACCESS_TTL_SECONDS,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      jwtid: randomUUID(),
    });
    return {
      accessToken,
      refreshToken,
      expiresIn: env.JWT_ACCESS_TTL_SECONDS,
      refreshExpiresAt,
      familyId: family.familyId,
      userId: family.userId,
      workspaceId: family.workspaceId,
    };
  }
}
