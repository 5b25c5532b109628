export interface RetryDecision {
  retry: boolean;
  /** The server's own wait (Retry-After), which replaces the backoff when given. */
  afterMs?: number;
}

export interface RetryOptions {
  /** Retries after the first attempt (0: one attempt). */
  maxRetries: number;
  /** First backoff; doubled each retry, with full jitter, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Retry-After values above this are not waited for: the error is returned at once. */
  maxRetryAfterMs?: number;
  signal?: AbortSignal;
  classify: (error: unknown) => RetryDecision;
  /** Test seam. */
  random?: () => number;
}

/** Exponential backoff with full jitter: a random wait in [0, min(max, base * 2^n)]. */
export function backoffMs(retry: number, base: number, max: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(max, base * 2 ** retry));
}

/** Runs `attempt` until it succeeds, the error is not retryable, the retries are spent or the signal fires. */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { maxRetries, baseDelayMs = 200, maxDelayMs = 5000, maxRetryAfterMs = 30000, signal, classify } = options;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const decision = classify(error);
      if (!decision.retry || n >= maxRetries || signal?.aborted) throw error;
      if (decision.afterMs !== undefined && decision.afterMs > maxRetryAfterMs) throw error;
      await sleep(decision.afterMs ?? backoffMs(n, baseDelayMs, maxDelayMs, options.random), signal);
      if (signal?.aborted) throw error;
    }
  }
}

/** Parses Retry-After (seconds or an HTTP date) and the non-standard retry-after-ms, in milliseconds. */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Resolves after `ms`, or early when the signal fires (the caller checks signal.aborted). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
