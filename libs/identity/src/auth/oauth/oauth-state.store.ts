import { Injectable } from '@nestjs/common';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { OAuthRequest } from './oauth-request';

/** Cookie binding an authorization request to the browser that started it (path: the provider's routes). */
export const OAUTH_STATE_COOKIE = 'oauthState';
export const OAUTH_STATE_TTL_SECONDS = 600;

type Stored = (error: Error | null, state?: string) => void;
type Loaded = (error: Error | null, ok: string | false, info?: { message: string }) => void;

/**
 * passport-oauth2's state store, kept in a short-lived HttpOnly cookie instead of a server session: the
 * redirect carries a random `state` and the PKCE challenge, the cookie carries the same state and the PKCE
 * verifier. The callback must come back with that state in the browser that holds the cookie; else login
 * CSRF (someone else's code landing in this browser) would be possible.
 */
@Injectable()
export class OAuthStateStore {
  /** What `store` made for a request, for the controller to set as the cookie with the redirect. */
  private readonly issued = new WeakMap<object, string>();

  /** passport-oauth2 calls this (arity 5, PKCE) before redirecting to the provider. */
  store(request: OAuthRequest, verifier: string, _state: unknown, _meta: unknown, done: Stored): void {
    const state = randomBytes(24).toString('base64url');
    this.issued.set(request, `${state}.${verifier}`);
    done(null, state);
  }

  /** passport-oauth2 calls this (arity 4) on the callback; `ok` is the PKCE verifier. */
  verify(request: OAuthRequest, presented: unknown, _meta: unknown, done: Loaded): void {
    const [state, verifier] = (request.cookies?.[OAUTH_STATE_COOKIE] ?? '').split('.');
    const matches =
      typeof presented === 'string' &&
      !!state &&
      !!verifier &&
      presented.length === state.length &&
      timingSafeEqual(Buffer.from(presented), Buffer.from(state));
    if (!matches) return done(null, false, { message: 'state mismatch' });
    done(null, verifier);
  }

  cookieFor(request: OAuthRequest): string | undefined {
    return this.issued.get(request);
  }
}
