import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { AppConfig, InjectRedis } from '@crescendo/platform';

export interface CachedAnswer {
  content: string;
  inputTokens: number;
  outputTokens: number;
}

/**
 * The prompt cache: deterministic answers in Redis under `${REDIS_PREFIX}:ai-cache:<sha256>` (the client
 * adds the prefix). Redis trouble is a miss, never an error: the cache only saves money.
 */
@Injectable()
export class AiCacheService {
  private readonly logger = new Logger(AiCacheService.name);

  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** sha256 of everything that shapes the answer, in a fixed key order. */
  static keyOf(parts: Record<string, unknown>): string {
    const canonical = JSON.stringify(
      Object.keys(parts)
        .sort()
        .map((k) => [k, parts[k] ?? null]),
    );
    return `ai-cache:${createHash('sha256').update(canonical).digest('hex')}`;
  }

  async get(key: string): Promise<CachedAnswer | null> {
    try {
      const raw = await this.redis.get(key);
      return raw ? (JSON.parse(raw) as CachedAnswer) : null;
    } catch (error) {
      this.logger.warn({ err: error }, 'AI cache read failed; calling the provider');
      return null;
    }
  }

  async set(key: string, answer: CachedAnswer): Promise<void> {
    try {
      await this.redis.set(key, JSON.stringify(answer), 'EX', this.config.env.AI_CACHE_TTL_SECONDS);
    } catch (error) {
      this.logger.warn({ err: error }, 'AI cache write failed');
    }
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(key).catch(() => undefined);
  }
}
