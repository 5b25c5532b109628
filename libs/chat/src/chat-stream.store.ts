import { Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig, InjectRedis } from '@crescendo/platform';
import { ChatOwner } from './chat.types';

export type StreamEventName = 'stream' | 'delta' | 'done' | 'error' | 'end';

export interface StreamEvent {
  event: StreamEventName;
  data: Record<string, unknown>;
}

/** Events and owner of a stream stay in Redis this long (replay window). */
export const STREAM_TTL_SECONDS = 600;
const FOLLOWER_HEARTBEAT_MS = 2000;

const eventsKey = (id: string) => `chat-stream:${id}:events`;
const metaKey = (id: string) => `chat-stream:${id}:meta`;
/** Set (with a short expiry) by a follower on another replica, so the run is not taken for abandoned. */
const followerKey = (id: string) => `chat-stream:${id}:follower`;

/**
 * Storage of chat streams in Redis, shared by every replica: each stream's owner, its numbered events (a list:
 * the index is the list position), a follower heartbeat, and the abort channel.
 */
@Injectable()
export class ChatStreamStore {
  private readonly logger = new Logger(ChatStreamStore.name);
  private readonly abortChannel: string;

  constructor(
    config: AppConfig,
    @InjectRedis() private readonly redis: Redis,
  ) {
    this.abortChannel = `${config.env.REDIS_PREFIX}:chat-stream-abort`;
  }

  /** The heartbeat a remote follower keeps (half of it between two beats). */
  readonly heartbeatMs = FOLLOWER_HEARTBEAT_MS;

  saveOwner(id: string, owner: ChatOwner): Promise<unknown> {
    const meta: ChatOwner = { workspaceId: owner.workspaceId, userId: owner.userId };
    return this.redis.set(metaKey(id), JSON.stringify(meta), 'EX', STREAM_TTL_SECONDS);
  }

  async owner(id: string): Promise<ChatOwner | null> {
    const raw = await this.redis.get(metaKey(id));
    return raw ? (JSON.parse(raw) as ChatOwner) : null;
  }

  /** Appends an event; one connection, so the list keeps emission order. */
  append(id: string, entry: StreamEvent): Promise<unknown> {
    return this.redis
      .multi()
      .rpush(eventsKey(id), JSON.stringify(entry))
      .expire(eventsKey(id), STREAM_TTL_SECONDS)
      .exec();
  }

  async last(id: string): Promise<StreamEvent | null> {
    const raw = await this.redis.lindex(eventsKey(id), -1);
    return raw ? (JSON.parse(raw) as StreamEvent) : null;
  }

  /** The events from index `from` on. */
  async from(id: string, from: number): Promise<StreamEvent[]> {
    const entries = await this.redis.lrange(eventsKey(id), from, -1);
    return entries.map((text) => JSON.parse(text) as StreamEvent);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.redis.exists(eventsKey(id))) > 0;
  }

  async beat(id: string): Promise<void> {
    await this.redis.set(followerKey(id), '1', 'PX', FOLLOWER_HEARTBEAT_MS);
  }

  async hasFollower(id: string): Promise<boolean> {
    return (await this.redis.exists(followerKey(id))) > 0;
  }

  async publishAbort(id: string): Promise<void> {
    await this.redis.publish(this.abortChannel, id);
  }

  /** Calls `onAbort` with each stream id aborted on any replica; answers the function that unsubscribes. */
  async subscribeAborts(onAbort: (id: string) => void): Promise<() => Promise<void>> {
    // A subscribed connection can do nothing else: its own, with the offline queue so it may start early.
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true, keyPrefix: undefined });
    subscriber.on('error', (error) => this.logger.warn(`abort channel: ${error.message}`));
    subscriber.on('message', (_channel, id: string) => onAbort(id));
    await subscriber.subscribe(this.abortChannel).catch((error: Error) => {
      this.logger.warn(`cannot subscribe to stream aborts: ${error.message}`);
    });
    return async () => {
      await subscriber.quit().catch(() => subscriber.disconnect());
    };
  }
}
