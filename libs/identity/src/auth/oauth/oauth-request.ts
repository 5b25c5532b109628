import type { IncomingHttpHeaders } from 'node:http';

/**
 * What passport-oauth2 and the state store read of the request (the callback's query, the state cookie, and
 * the headers and URL it resolves a relative callback URL with): the HTTP request itself satisfies it, so the
 * controller passes it through, and the service and store never name the HTTP framework.
 */
export interface OAuthRequest {
  readonly query: unknown;
  readonly headers: IncomingHttpHeaders;
  readonly url: string;
  readonly cookies?: Readonly<Record<string, string | undefined>>;
}
