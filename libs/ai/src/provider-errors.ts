import type { APIError } from 'openai';
import { AppException } from '@crescendo/platform';
import { loadedAiSdk } from './ai-sdk';
import { aiErrors } from './ai.errors';
import { retryAfterMs, RetryDecision } from './retry';
import { AbortedWhileQueuedError } from './semaphore';

/** An attempt that outlived the provider's timeoutMs (our clock, see AiService). */
export class AttemptTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`No answer within ${timeoutMs} ms`);
  }
}

const retryableStatuses = new Set([408, 409, 429]);

/** The SDK's error classes, tested without loading the SDK (an error can only be one once it is loaded). */
type SdkErrorClass = 'APIError' | 'APIUserAbortError' | 'APIConnectionTimeoutError';
const isSdkError = (error: unknown, name: SdkErrorClass): boolean => {
  const sdk = loadedAiSdk();
  return sdk !== undefined && error instanceof sdk[name];
};
const isApiError = (error: unknown): error is APIError => isSdkError(error, 'APIError');

export const isAbort = (error: unknown): boolean =>
  isSdkError(error, 'APIUserAbortError') ||
  error instanceof AbortedWhileQueuedError ||
  (error instanceof Error && error.name === 'AbortError');

/** Retry on 408/409/429, 5xx, timeouts and network errors; never on other 4xx nor aborts. */
export function classifyProviderError(error: unknown): RetryDecision {
  if (error instanceof AttemptTimeoutError) return { retry: true };
  if (isAbort(error)) return { retry: false };
  if (isApiError(error) && error.status !== undefined) {
    if (retryableStatuses.has(error.status) || error.status >= 500) {
      return { retry: true, afterMs: retryAfterMs(error.headers) };
    }
    return { retry: false };
  }
  // APIConnectionError (and its timeout subclass) has no status: the network or the clock failed.
  return { retry: isApiError(error) };
}

/** An abort or a refused request (4xx other than 408/409/429): not the provider's failure. */
export const isCallerError = (error: unknown): boolean =>
  isAbort(error) ||
  (isApiError(error) && error.status !== undefined && error.status < 500 && !retryableStatuses.has(error.status));

/** Maps whatever the SDK, opossum or the semaphore threw to one of the AI layer's AppExceptions. */
export function toAiError(error: unknown, provider: string, timeoutMs: number, signal?: AbortSignal): AppException {
  if (error instanceof AppException) return error;
  if (signal?.aborted || isAbort(error)) return aiErrors.aborted();
  if ((error as { code?: string }).code === 'EOPENBREAKER') return aiErrors.unavailable(provider);
  if (error instanceof AttemptTimeoutError || isSdkError(error, 'APIConnectionTimeoutError'))
    return aiErrors.timeout(provider, timeoutMs);
  if (isApiError(error) && error.status !== undefined) {
    // The SDK's message starts with the status ("500 Upstream overloaded").
    return aiErrors.upstream(provider, error.message.slice(0, 300));
  }
  return aiErrors.upstream(provider, (error instanceof Error ? error.message : String(error)).slice(0, 300));
}

/** The errorCode of a usage row. */
export const errorCodeOf = (error: unknown): string =>
  error instanceof AppException ? error.code : 'AI_PROVIDER_ERROR';
