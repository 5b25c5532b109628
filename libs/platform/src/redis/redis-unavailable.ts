import { HttpStatus } from '@nestjs/common';
import { AppException } from '../http/app.exception';

/** What a caller is told to wait when Redis is unreachable: ioredis retries the connection every ≤ 2 s. */
export const REDIS_RETRY_AFTER_SECONDS = 5;

export const redisUnavailable = () =>
  new AppException(
    HttpStatus.SERVICE_UNAVAILABLE,
    'REDIS_UNAVAILABLE',
    'A service this request needs (Redis) is unavailable; retry shortly',
    [],
    { retryAfter: REDIS_RETRY_AFTER_SECONDS },
  );

/**
 * The errors ioredis and BullMQ raise while Redis cannot be reached: no connection with the offline queue
 * off, retries exhausted, the connection closed under a command, a command timeout, or a Redis still
 * loading its data. A request that meets one answers 503 rather than 500.
 */
export function isRedisUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError' || error.name === 'ConnectionClosedError') return true;
  return /enableOfflineQueue options is false|^Connection is closed|^Command timed out|^LOADING /.test(error.message);
}
