import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { AppConfig, forbidden, sha256, unauthorized } from '@crescendo/platform';
import { RefreshTokenEntity, SessionService, UserEntity } from '@crescendo/identity';

export interface AdminCredentials {
  authorization?: string;
  refreshToken?: string;
}

/**
 * Instance administrators are the users whose e-mail is listed in ADMIN_EMAILS. They are recognised by a
 * Bearer access token or by the refresh-token cookie (the browser sends it to /admin/queues).
 */
@Injectable()
export class InstanceAdminService {
  constructor(
    private readonly config: AppConfig,
    private readonly sessions: SessionService,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(RefreshTokenEntity) private readonly refreshTokens: Repository<RefreshTokenEntity>,
  ) {}

  /** Resolves with the admin's user id; throws 401 without valid credentials, 403 for a non-admin. */
  async authorize(credentials: AdminCredentials): Promise<string> {
    const userId = await this.identify(credentials);
    const user = await this.users.findOne({ where: { id: userId }, select: { id: true, email: true } });
    if (!user) throw unauthorized('INVALID_TOKEN', 'The credentials belong to no user');
    if (!this.config.adminEmails.includes(user.email.toLowerCase())) {
      throw forbidden('ADMIN_REQUIRED', 'Only instance administrators may open the queue dashboard');
    }
    return user.id;
  }

  private async identify({ authorization, refreshToken }: AdminCredentials): Promise<string> {
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
    if (bearer) {
      try {
        const payload = this.sessions.verifyAccessToken(bearer);
        if (payload.typ === 'access' && payload.sub) return payload.sub;
      } catch {
        // Falls through to the error below.
      }
      throw unauthorized('INVALID_TOKEN', 'The access token is invalid or expired');
    }
    if (refreshToken) {
      const token = await this.refreshTokens.findOne({
        where: { tokenHash: sha256(refreshToken), revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
        select: { id: true, userId: true },
      });
      if (!token) throw unauthorized('INVALID_TOKEN', 'The session is invalid, revoked or expired');
      return token.userId;
    }
    throw unauthorized('AUTH_REQUIRED', 'Sign in as an instance administrator to open the queue dashboard');
  }
}
