import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import passport from 'passport';
import { DataSource } from 'typeorm';
import { AppConfig, AppException, badRequest, forbidden, notFound, unauthorized } from '@crescendo/platform';
import { AuditService, LogType } from '@crescendo/audit';
import { UserEntity } from '../../users/user.entity';
import { AuthService, SignedIn } from '../auth.service';
import { OAuthIdentityEntity } from '../oauth-identity.entity';
import { OAUTH_PROVIDERS, OAuthProfile, OAuthProvider } from './oauth.strategies';
import type { OAuthRequest } from './oauth-request';

type Outcome = { redirect: string } | { profile: OAuthProfile } | { refused: { message?: string }; status?: number };

/**
 * Sign-in with an OAuth provider through its passport strategy: the redirect to the provider, then on the
 * callback the code exchange and the profile, then the account: the one already linked to this provider
 * account, else the one with the same e-mail (only when the provider verified it), else a new one.
 */
@Injectable()
export class OAuthService {
  private readonly logger = new Logger(OAuthService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** The providers this instance has credentials for. */
  enabled(): OAuthProvider[] {
    const env = this.config.env;
    return OAUTH_PROVIDERS.filter((p) => (p === 'google' ? env.GOOGLE_CLIENT_ID : env.GITHUB_CLIENT_ID));
  }

  /** The provider's authorization URL; the state store has made the state cookie for this request. */
  async authorizationUrl(provider: string, request: OAuthRequest): Promise<string> {
    const outcome = await this.run(this.provider(provider), request);
    if ('redirect' in outcome) return outcome.redirect;
    throw new Error(`The ${provider} strategy did not redirect`);
  }

  /** The callback: checks the state, exchanges the code, reads the profile, then signs the account in. */
  async callback(provider: string, request: OAuthRequest): Promise<SignedIn> {
    const name = this.provider(provider);
    const query = (request.query ?? {}) as Record<string, unknown>;
    if (typeof query.code !== 'string' && typeof query.error !== 'string') {
      throw badRequest('OAUTH_CODE_MISSING', 'The callback carries neither a code nor an error', [
        { field: 'code', message: 'required' },
      ]);
    }
    const outcome = await this.run(name, request);
    if ('profile' in outcome) return this.signIn(outcome.profile);
    if ('refused' in outcome && outcome.status === HttpStatus.FORBIDDEN) {
      throw forbidden(
        'OAUTH_STATE_MISMATCH',
        'This sign-in was not started in this browser, or took too long; start again',
      );
    }
    throw unauthorized('OAUTH_ACCESS_DENIED', 'The provider did not grant access');
  }

  private provider(name: string): OAuthProvider {
    if (!(OAUTH_PROVIDERS as readonly string[]).includes(name)) {
      throw notFound('OAUTH_PROVIDER_UNKNOWN', `No sign-in with ${name}; providers: ${OAUTH_PROVIDERS.join(', ')}`);
    }
    const provider = name as OAuthProvider;
    if (!this.enabled().includes(provider)) {
      throw new AppException(
        HttpStatus.SERVICE_UNAVAILABLE,
        'OAUTH_PROVIDER_NOT_CONFIGURED',
        `Sign-in with ${provider} is not configured on this instance (${provider.toUpperCase()}_CLIENT_ID)`,
      );
    }
    return provider;
  }

  /**
   * passport.authenticate without a session, with a callback, and a response stand-in that turns the
   * strategy's redirect into a value (Fastify's reply has no setHeader/end of its own).
   */
  private run(name: OAuthProvider, request: OAuthRequest): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      let location = '';
      const response = {
        statusCode: 200,
        setHeader: (header: string, value: string) => {
          if (header.toLowerCase() === 'location') location = value;
        },
        end: () => resolve({ redirect: location }),
      };
      const authenticate = passport.authenticate(
        name,
        { session: false },
        (error: unknown, profile: OAuthProfile | false, info: { message?: string }, status?: number) => {
          if (error) reject(this.providerError(name, error));
          else if (profile) resolve({ profile });
          else resolve({ refused: info ?? {}, status });
        },
      ) as (req: unknown, res: unknown, next: (error?: unknown) => void) => void;
      authenticate(request, response, (error?: unknown) => reject(error ?? new Error('passport passed')));
    });
  }

  private providerError(provider: OAuthProvider, error: unknown): Error {
    if (error instanceof AppException) return error;
    const name = (error as { name?: string }).name;
    if (name === 'TokenError' || name === 'AuthorizationError') {
      return badRequest('OAUTH_CODE_REJECTED', `${provider} refused the authorization code; start again`);
    }
    this.logger.warn({ err: error, provider }, 'OAuth provider failed');
    return new AppException(
      HttpStatus.BAD_GATEWAY,
      'OAUTH_PROVIDER_FAILED',
      `${provider} could not be reached or answered badly`,
    );
  }

  private async signIn(profile: OAuthProfile): Promise<SignedIn> {
    let user: UserEntity;
    try {
      user = await this.accountFor(profile);
    } catch (error) {
      // Two first sign-ins racing: the unique indexes answer for the loser, whose second look finds the winner's.
      if ((error as { code?: string }).code !== '23505') throw error;
      user = await this.accountFor(profile);
    }
    return this.auth.signInVerified(user, profile.provider);
  }

  private accountFor(profile: OAuthProfile): Promise<UserEntity> {
    return this.dataSource.transaction(async (manager) => {
      const identities = manager.getRepository(OAuthIdentityEntity);
      const users = manager.getRepository(UserEntity);
      const known = await identities.findOne({
        where: { provider: profile.provider, providerUserId: profile.providerUserId },
      });
      if (known) {
        await identities.update(known.id, { lastLoginAt: new Date() });
        return users.findOneOrFail({ where: { id: known.userId } });
      }
      if (!profile.email || !profile.emailVerified) {
        throw forbidden(
          'OAUTH_EMAIL_NOT_VERIFIED',
          `${profile.provider} has no verified e-mail for this account; verify it there, then sign in again`,
        );
      }
      const email = profile.email;
      const existing = await users.findOne({ where: { email } });
      const user =
        existing ??
        (await this.auth.createAccount(
          manager,
          { email, name: profile.name || email.split('@')[0], passwordHash: null, termsAcceptedAt: null },
          profile.provider,
        ));
      await identities.insert({
        provider: profile.provider,
        providerUserId: profile.providerUserId,
        userId: user.id,
        email,
        lastLoginAt: new Date(),
      });
      if (existing) {
        await this.audit.record(
          {
            type: LogType.Auth,
            action: 'oauth_linked',
            message: `${profile.provider} account linked to ${email} by its verified e-mail`,
            userId: user.id,
            metadata: { provider: profile.provider, providerUserId: profile.providerUserId },
          },
          manager,
        );
      }
      return user;
    });
  }
}
