import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/config.service';

const logger = new Logger('Redis');

export const REDIS = Symbol('REDIS');
export const InjectRedis = () => Inject(REDIS);

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@InjectRedis() private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * Waits for the first connection attempt to settle: with the offline queue off, a command sent before
 * the client is ready fails, so the app must not serve before then. An unreachable Redis does not
 * block the boot (health reports it as degraded).
 */
function firstConnection(redis: Redis, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.on('ready', done);
    redis.on('error', done);
  });
}

/**
 * One shared connection for rate limits, caches and health; BullMQ opens its own. It serves requests, so
 * it fails fast while Redis is away (no offline queue, a bounded command time) and those requests answer
 * 503 REDIS_UNAVAILABLE; ioredis reconnects by itself at most 2 s apart, and requests succeed again.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        const redis = new Redis(config.env.REDIS_URL, {
          keyPrefix: `${config.env.REDIS_PREFIX}:`,
          maxRetriesPerRequest: 2,
          enableOfflineQueue: false,
          commandTimeout: 2_000,
          retryStrategy: (times: number) => Math.min(times * 100, 2_000),
          lazyConnect: false,
        });
        // ioredis reconnects by itself; without a listener each error would print as "Unhandled error event".
        redis.on('error', (error: Error) => logger.warn(`redis: ${error.message}`));
        await firstConnection(redis);
        return redis;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
