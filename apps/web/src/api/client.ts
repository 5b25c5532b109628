import { refresh } from '@crescendo/api-client';
import { client } from '@crescendo/api-client/client.gen';

/**
 * The one place the SPA configures the generated client: same-origin base URL, cookies included
 * (the refresh token is an HttpOnly cookie), the access token kept in memory only, and a
 * transparent refresh-and-retry on 401 shared by concurrent requests.
 */
let accessToken: string | null = null;
let refreshing: Promise<string | null> | null = null;
let onSessionLost: () => void = () => undefined;

const NO_RETRY = ['/api/auth/login', '/api/auth/register', '/api/auth/refresh', '/api/auth/logout'];

export function setAccessToken(token: string | null): void {
  accessToken = token;
}

export function hasAccessToken(): boolean {
  return accessToken !== null;
}

/**
 * For requests the generated client cannot make: a streamed body read as it arrives, an upload with progress
 * (XMLHttpRequest).
 */
export function currentAccessToken(): string | null {
  return accessToken;
}

/** Called when the refresh cookie no longer works: the user must sign in again. */
export function setSessionLostHandler(handler: () => void): void {
  onSessionLost = handler;
}

/** One refresh at a time: every 401 that arrives while one is running waits for the same answer. */
export function refreshAccessToken(): Promise<string | null> {
  if (!refreshing) {
    refreshing = refresh({ body: {} })
      .then(({ data }) => {
        accessToken = data?.accessToken ?? null;
        return accessToken;
      })
      .catch(() => {
        accessToken = null;
        return null;
      })
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

const skipRetry = (url: string) => NO_RETRY.some((path) => new URL(url, window.location.href).pathname === path);

/** fetch with one retry after a refresh when the answer is 401. */
const authFetch = async (request: Request): Promise<Response> => {
  const retryable = skipRetry(request.url) ? null : request.clone();
  const response = await fetch(request);
  if (response.status !== 401 || !retryable) return response;
  const token = await refreshAccessToken();
  if (!token) {
    onSessionLost();
    return response;
  }
  retryable.headers.set('Authorization', `Bearer ${token}`);
  return fetch(retryable);
};

client.setConfig({ baseUrl: '', credentials: 'include', fetch: authFetch });

client.interceptors.request.use((request: Request) => {
  if (accessToken && !request.headers.has('Authorization')) {
    request.headers.set('Authorization', `Bearer ${accessToken}`);
  }
  return request;
});

export { client };
