import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig, InjectRedis, Principal } from '@crescendo/platform';

/** How long a resolved principal is reused without asking the database again. */
export const PRINCIPAL_CACHE_TTL_MS = 5_000;
/**
 * In its last second an entry is still served while one request reloads it in the background. Without
 * this, every TTL the requests of a busy client all waited for one load queued behind their own queries in
 * the database pool: the list bench's p99 was 1.5× the bare server's. Staleness stays bounded by the TTL.
 */
export const PRINCIPAL_REFRESH_AHEAD_MS = 1_000;
const MAX_ENTRIES = 20_000;

interface Entry {
  principal: Principal;
  expiresAt: number;
  tags: string[];
}

interface PendingLoad {
  promise: Promise<Principal>;
  tags: string[];
}

/**
 * Resolved access-token principals (membership, role, live session), kept a few seconds so a busy client
 * does not cost a database round trip per request. Anything that revokes a session or changes a
 * membership invalidates by tag (`user:<id>`, `session:<id>`), here and, through Redis pub/sub, on every
 * other API replica; the TTL bounds staleness if a message is lost.
 */
@Injectable()
export class PrincipalCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PrincipalCache.name);
  private readonly entries = new Map<string, Entry>();
  /** Loads under way: when an entry expires, the requests that arrive meanwhile share one load. */
  private readonly pending = new Map<string, PendingLoad>();
  /** Bumped by each invalidation, so a lookup that started before it cannot store what it read. */
  private readonly generations = new Map<string, number>();
  private readonly channel: string;
  private subscriber?: Redis;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    config: AppConfig,
  ) {
    this.channel = `${config.env.REDIS_PREFIX}:principal-invalidations`;
  }

  onModuleInit(): void {
    this.subscriber = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (_channel: string, tag: string) => this.drop(tag));
    this.subscriber.subscribe(this.channel).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'Principal invalidations not subscribed; entries expire by TTL only');
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.subscriber?.disconnect();
  }

  async resolve(key: string, tags: string[], load: () => Promise<Principal>): Promise<Principal> {
    return this.cached(key, tags, load) ?? this.pending.get(key)?.promise ?? this.load(key, tags, load);
  }

  /** The entry if it is still fresh (starting its refresh in its last second), else undefined. */
  cached(key: string, tags: string[], load: () => Promise<Principal>): Principal | undefined {
    const hit = this.entries.get(key);
    const now = Date.now();
    if (!hit || hit.expiresAt <= now) return undefined;
    if (hit.expiresAt - now <= PRINCIPAL_REFRESH_AHEAD_MS && !this.pending.has(key)) {
      // A refresh that fails (session revoked, database down) drops the entry: the next request loads
      // and answers with the real outcome.
      this.load(key, tags, load).catch(() => {
        if (this.entries.get(key) === hit) this.entries.delete(key);
      });
    }
    return hit.principal;
  }

  private load(key: string, tags: string[], load: () => Promise<Principal>): Promise<Principal> {
    const before = tags.map((tag) => this.generations.get(tag) ?? 0);
    const promise = load()
      .then((principal) => {
        if (tags.every((tag, i) => (this.generations.get(tag) ?? 0) === before[i])) {
          if (this.entries.size >= MAX_ENTRIES) this.evictExpired();
          this.entries.set(key, { principal, expiresAt: Date.now() + PRINCIPAL_CACHE_TTL_MS, tags });
        }
        return principal;
      })
      .finally(() => {
        if (this.pending.get(key)?.promise === promise) this.pending.delete(key);
      });
    this.pending.set(key, { promise, tags });
    return promise;
  }

  /** Forgets the principals of a user or a session, on this replica at once and on the others via Redis. */
  async invalidate(...tags: string[]): Promise<void> {
    for (const tag of tags) {
      this.drop(tag);
      await this.redis.publish(this.channel, tag).catch((error: unknown) => {
        this.logger.warn({ err: error, tag }, 'Principal invalidation not broadcast; other replicas wait for the TTL');
      });
    }
  }

  private drop(tag: string): void {
    this.generations.set(tag, (this.generations.get(tag) ?? 0) + 1);
    for (const [key, entry] of this.entries) if (entry.tags.includes(tag)) this.entries.delete(key);
    // A load that started before the change may have read the old state: later requests start their own.
    for (const [key, load] of this.pending) if (load.tags.includes(tag)) this.pending.delete(key);
  }

  private evictExpired(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
  }
}

export const userTag = (userId: string) => `user:${userId}`;
export const sessionTag = (sessionId: string) => `session:${sessionId}`;
