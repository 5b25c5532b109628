import { backoffMs, retryAfterMs, withRetry } from './retry';

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });

describe('withRetry', () => {
  const retryable = () => ({ retry: true, afterMs: 1 });

  it('retries until success', async () => {
    const attempt = jest
      .fn()
      .mockRejectedValueOnce(new Error('a'))
      .mockRejectedValueOnce(new Error('b'))
      .mockResolvedValue('ok');
    await expect(withRetry(attempt, { maxRetries: 2, classify: retryable })).resolves.toBe('ok');
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('stops after maxRetries with the last error', async () => {
    const attempt = jest.fn().mockRejectedValueOnce(new Error('1')).mockRejectedValueOnce(new Error('2'));
    await expect(withRetry(attempt, { maxRetries: 1, classify: retryable })).rejects.toThrow('2');
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  it('does not retry what the classifier refuses', async () => {
    const attempt = jest.fn().mockRejectedValue(new Error('400'));
    await expect(withRetry(attempt, { maxRetries: 5, classify: () => ({ retry: false }) })).rejects.toThrow('400');
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('waits the Retry-After instead of the backoff, and gives up when it is too long', async () => {
    const started = Date.now();
    const attempt = jest.fn().mockRejectedValueOnce(new Error('429')).mockResolvedValue('ok');
    await withRetry(attempt, { maxRetries: 1, classify: () => ({ retry: true, afterMs: 120 }) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    const long = jest.fn().mockRejectedValue(new Error('429'));
    await expect(
      withRetry(long, { maxRetries: 3, maxRetryAfterMs: 1000, classify: () => ({ retry: true, afterMs: 60000 }) }),
    ).rejects.toThrow('429');
    expect(long).toHaveBeenCalledTimes(1);
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const attempt = jest.fn().mockRejectedValue(new Error('500'));
    const pending = withRetry(attempt, {
      maxRetries: 3,
      signal: controller.signal,
      classify: () => ({ retry: true, afterMs: 10000 }),
    });
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    await expect(pending).rejects.toThrow('500');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(attempt).toHaveBeenCalledTimes(1);
  });
});

describe('backoffMs', () => {
  it('doubles the ceiling each retry, capped, with full jitter', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffMs(n, 100, 1000, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffMs(3, 100, 1000, () => 0)).toBe(0);
    expect(backoffMs(1, 100, 1000, () => 0.5)).toBe(100);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, an HTTP date or retry-after-ms', () => {
    expect(retryAfterMs(headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(headers({ 'retry-after-ms': '150', 'retry-after': '2' }))).toBe(150);
    const inTen = new Date(Date.now() + 10000).toUTCString();
    expect(retryAfterMs(headers({ 'retry-after': inTen }))).toBeGreaterThan(8000);
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});
