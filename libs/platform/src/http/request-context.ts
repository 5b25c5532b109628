import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from '../auth/principal';

/** What domain code may know about the request it serves, without the HTTP framework's types. */
export interface RequestContext {
  readonly requestId: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
  /** Set by the authentication guard, once the credentials are checked. */
  readonly principal: Principal | undefined;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the request being served; undefined in the worker, scripts and tests without HTTP. */
export const currentRequest = (): RequestContext | undefined => storage.getStore();

/** Runs `next` (and everything it starts) inside the request's context: the HTTP app's first hook calls it. */
export function runInRequestContext(context: RequestContext, next: () => void): void {
  storage.run(context, next);
}
