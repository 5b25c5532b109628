import { Injectable } from '@nestjs/common';
import { AppConfig, forbidden, unauthorized } from '@crescendo/platform';
import { IdentityLookupsService, SessionService } from '@crescendo/identity';

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
    private readonly identity: IdentityLookupsService,
  ) {}

  /** Resolves with the admin's user id; throws 401 without valid credentials, 403 for a non-admin. */
  async authorize(credentials: AdminCredentials): Promise<string> {
    const userId = await this.identify(credentials);
    const email = await this.identity.userEmail(userId);
    if (email === null) throw unauthorized('INVALID_TOKEN', 'The credentials belong to no user');
    if (!this.config.adminEmails.includes(email.toLowerCase())) {
      throw forbidden('ADMIN_REQUIRED', 'Only instance administrators may open the queue dashboard');
    }
    return userId;
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
      const userId = await this.identity.userIdOfLiveRefreshToken(refreshToken);
      if (!userId) throw unauthorized('INVALID_TOKEN', 'The session is invalid, revoked or expired');
      return userId;
    }
    throw unauthorized('AUTH_REQUIRED', 'Sign in as an instance administrator to open the queue dashboard');
  }
}
