import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/config.service';
import { forbidden } from '../http/app.exception';
import type { Principal } from './principal';

/** HttpOnly cookie carrying the access token of a cookie session (`tokenDelivery: 'session'`). */
export const ACCESS_COOKIE = 'accessToken';
/** Readable cookie with the session's CSRF token, which scripts of the SPA's origin echo in CSRF_HEADER. */
export const CSRF_COOKIE = 'csrf';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * CSRF tokens of cookie sessions: an HMAC of the session id (OWASP's signed double submit), so a token
 * planted by a sibling subdomain or stolen from another session does not pass, and nothing is stored.
 */
@Injectable()
export class CsrfTokens {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    // Derived, so the CSRF token never reveals anything usable against access-token signatures.
    this.key = createHmac('sha256', config.env.JWT_SECRET).update('crescendo csrf v1').digest();
  }

  tokenFor(sessionId: string): string {
    return createHmac('sha256', this.key).update(sessionId).digest('base64url');
  }

  /** 403 unless the request's CSRF header carries its session's token. */
  check(request: FastifyRequest, principal: Principal): void {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sent) {
      throw forbidden('CSRF_TOKEN_MISSING', `A cookie-authenticated ${request.method} needs the X-CSRF-Token header`);
    }
    const expected = Buffer.from(principal.sessionId ? this.tokenFor(principal.sessionId) : '');
    const given = Buffer.from(sent);
    if (!expected.length || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw forbidden('CSRF_TOKEN_INVALID', 'The X-CSRF-Token header does not match this session');
    }
  }
}
