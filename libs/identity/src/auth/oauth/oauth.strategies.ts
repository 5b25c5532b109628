import { PassportStrategy } from '@nestjs/passport';
import type { StateStore } from 'passport-oauth2';
import { Strategy as GitHubStrategy } from 'passport-github2';
import { Profile as GoogleProfile, Strategy as GoogleStrategy } from 'passport-google-oauth20';
import { AppConfig } from '@crescendo/platform';
import { OAuthStateStore } from './oauth-state.store';

export const OAUTH_PROVIDERS = ['google', 'github'] as const;
export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number];

/** What a provider says about the person signing in; the account decisions are OAuthService's. */
export interface OAuthProfile {
  provider: OAuthProvider;
  providerUserId: string;
  /** The address to link or create by, and whether the provider verified it. */
  email: string | null;
  emailVerified: boolean;
  name: string;
}

export const callbackUrl = (config: AppConfig, provider: OAuthProvider) =>
  `${config.env.APP_URL.replace(/\/+$/, '')}/api/auth/oauth/${provider}/callback`;

/** @types/passport-oauth2 knows only stores without PKCE; passport-oauth2 calls ours by its arity (5 and 4). */
const passportStore = (store: OAuthStateStore) => store as unknown as StateStore;

const isTrue = (value: unknown) => value === true || value === 'true';

/** passport-google-oauth20 over OpenID Connect's userinfo: `sub`, `email`, `email_verified`, `name`. */
export class GoogleOAuthStrategy extends PassportStrategy(GoogleStrategy, 'google') {
  constructor(config: AppConfig, store: OAuthStateStore) {
    const env = config.env;
    super({
      clientID: env.GOOGLE_CLIENT_ID,
      clientSecret: env.GOOGLE_CLIENT_SECRET,
      callbackURL: callbackUrl(config, 'google'),
      authorizationURL: env.GOOGLE_AUTHORIZATION_URL,
      tokenURL: env.GOOGLE_TOKEN_URL,
      userProfileURL: env.GOOGLE_USERINFO_URL,
      scope: ['openid', 'email', 'profile'],
      store: passportStore(store),
      pkce: true,
    });
  }

  validate(_accessToken: string, _refreshToken: string, profile: GoogleProfile): OAuthProfile {
    const json = profile._json as { sub?: string; email?: string; email_verified?: unknown; name?: string };
    return {
      provider: 'google',
      providerUserId: String(json.sub ?? profile.id),
      email: json.email?.trim().toLowerCase() ?? null,
      emailVerified: isTrue(json.email_verified),
      name: json.name ?? profile.displayName ?? '',
    };
  }
}

interface GitHubEmail {
  value: string;
  primary?: boolean;
  verified?: boolean;
}

/** passport-github2 with every address of `GET /user/emails` (`allRawEmails`), so `verified` is known. */
export class GitHubOAuthStrategy extends PassportStrategy(GitHubStrategy, 'github') {
  constructor(config: AppConfig, store: OAuthStateStore) {
    const env = config.env;
    super({
      clientID: env.GITHUB_CLIENT_ID,
      clientSecret: env.GITHUB_CLIENT_SECRET,
      callbackURL: callbackUrl(config, 'github'),
      authorizationURL: env.GITHUB_AUTHORIZATION_URL,
      tokenURL: env.GITHUB_TOKEN_URL,
      userProfileURL: env.GITHUB_USER_URL,
      userEmailURL: env.GITHUB_EMAILS_URL,
      scope: ['read:user', 'user:email'],
      allRawEmails: true,
      store: passportStore(store),
      pkce: true,
    });
  }

  validate(
    _accessToken: string,
    _refreshToken: string,
    profile: { id: string; displayName?: string; username?: string; emails?: GitHubEmail[] },
  ): OAuthProfile {
    const emails = profile.emails ?? [];
    // The primary address if GitHub verified it, else another verified one.
    const chosen = emails.find((e) => e.primary && e.verified) ?? emails.find((e) => e.verified) ?? emails[0];
    return {
      provider: 'github',
      providerUserId: String(profile.id),
      email: chosen?.value?.trim().toLowerCase() ?? null,
      emailVerified: chosen?.verified === true,
      name: profile.displayName || profile.username || '',
    };
  }
}
