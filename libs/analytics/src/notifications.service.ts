import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import {
  AppConfig,
  InjectRedis,
  MemberNotice,
  MemberNotifier,
  MemberNotifierSink,
  notFound,
} from '@crescendo/platform';
import { ManagementService } from '@crescendo/settings';
import type { NotificationLevel } from './notification.entity';

/** A notification as the API reads it (internal, camelCase). */
export interface NotificationView {
  id: string;
  kind: string;
  level: NotificationLevel;
  message: string;
  data: Record<string, unknown>;
  read: boolean;
  createdAt: Date;
}

export interface NewNotification {
  /** Null with `userId`: a member's own notification, shown in every workspace of theirs. */
  workspaceId: string | null;
  userId?: string | null;
  eventId: string;
  kind: string;
  level: NotificationLevel;
  message: string;
  data: Record<string, unknown>;
}

type Row = {
  id: string;
  kind: string;
  level: NotificationLevel;
  message: string;
  data: Record<string, unknown>;
  read_at: Date | null;
  created_at: Date;
};
const toView = (r: Row): NotificationView => ({
  id: r.id,
  kind: r.kind,
  level: r.level,
  message: r.message,
  data: r.data,
  read: r.read_at !== null,
  createdAt: r.created_at,
});

type Listener = (notification: NotificationView) => void;

/** A member's own notifications are listened to under this key (workspaces' under their id). */
const memberKey = (userId: string) => `user:${userId}`;

/**
 * In-app notifications: a workspace's, written once per domain event, and a member's own (forum mentions), read
 * and marked read through the API (a member sees their workspace's and their own), and announced on a Redis
 * channel so every API process can push them to its open streams.
 */
@Injectable()
export class NotificationsService implements OnModuleDestroy, OnModuleInit, MemberNotifierSink {
  private readonly logger = new Logger(NotificationsService.name);
  private readonly channel: string;
  private readonly listeners = new Map<string, Set<Listener>>();
  private subscriber?: Redis;
  private subscribed?: Promise<void>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRedis() private readonly redis: Redis,
    config: AppConfig,
    private readonly memberNotifier: MemberNotifier,
    private readonly preferences: ManagementService,
  ) {
    this.channel = `${config.env.REDIS_PREFIX}:notifications`;
  }

  onModuleInit(): void {
    this.memberNotifier.use(this);
  }

  /** A member's own notification, unless their preferences turned its kind off; once per notice key. */
  async notify(notice: MemberNotice): Promise<boolean> {
    const preferences = await this.preferences.preferencesOf(notice.userId);
    if (!preferences[notice.preference]) return false;
    // The key as a UUID in the event id's unique index: a notice saved twice is recorded once.
    const hex = createHash('sha256').update(`member:${notice.key}`).digest('hex');
    const eventId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    const recorded = await this.record({
      workspaceId: null,
      userId: notice.userId,
      eventId,
      kind: notice.kind,
      level: 'info',
      message: notice.message,
      data: notice.data,
    });
    return recorded !== null;
  }

  /** Writes the notification unless its event already wrote one, then announces it. */
  async record(entry: NewNotification): Promise<NotificationView | null> {
    const [row] = (await this.dataSource.query(
      `INSERT INTO notifications (workspace_id, user_id, event_id, kind, level, message, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (event_id) DO NOTHING
       RETURNING id, kind, level, message, data, read_at, created_at`,
      [entry.workspaceId, entry.userId ?? null, entry.eventId, entry.kind, entry.level, entry.message, entry.data],
    )) as Row[];
    if (!row) return null;
    const view = toView(row);
    const key = entry.workspaceId ?? memberKey(entry.userId!);
    await this.redis
      .publish(this.channel, JSON.stringify({ key, notification: view }))
      .catch((error: Error) => this.logger.warn(`notification not announced: ${error.message}`));
    return view;
  }

  /** The workspace's newest and, for a member (`userId`), their own, merged newest first. */
  async latest(
    workspaceId: string,
    limit: number,
    userId: string | null = null,
  ): Promise<{ notifications: NotificationView[]; unread: number }> {
    // Two index ranges (the workspace's, the member's) merged, rather than an OR no index serves.
    const [rows, [count]] = await Promise.all([
      this.dataSource.query(
        `SELECT * FROM (
           (SELECT id, kind, level, message, data, read_at, created_at FROM notifications
             WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2)
           UNION ALL
           (SELECT id, kind, level, message, data, read_at, created_at FROM notifications
             WHERE user_id = $3 ORDER BY created_at DESC, id DESC LIMIT $2)) n
          ORDER BY created_at DESC, id DESC LIMIT $2`,
        [workspaceId, limit, userId],
      ) as Promise<Row[]>,
      this.dataSource.query(
        `SELECT (SELECT count(*) FROM notifications WHERE workspace_id = $1 AND read_at IS NULL)::int
              + (SELECT count(*) FROM notifications WHERE user_id = $2 AND read_at IS NULL)::int AS n`,
        [workspaceId, userId],
      ) as Promise<{ n: number }[]>,
    ]);
    return { notifications: rows.map(toView), unread: count.n };
  }

  async markRead(workspaceId: string, id: string, userId: string | null = null): Promise<void> {
    const [, affected] = (await this.dataSource.query(
      `UPDATE notifications SET read_at = coalesce(read_at, now())
        WHERE id = $2 AND (workspace_id = $1 OR user_id = $3)`,
      [workspaceId, id, userId],
    )) as [unknown, number];
    if (!affected) throw notFound('NOTIFICATION_NOT_FOUND', 'Notification not found');
  }

  async markAllRead(workspaceId: string, userId: string | null = null): Promise<number> {
    const update = async (column: 'workspace_id' | 'user_id', id: string | null) =>
      (
        (await this.dataSource.query(
          `UPDATE notifications SET read_at = now() WHERE ${column} = $1 AND read_at IS NULL`,
          [id],
        )) as [unknown, number]
      )[1];
    return (await update('workspace_id', workspaceId)) + (userId ? await update('user_id', userId) : 0);
  }

  /** Opens this process's subscription to the channel (once); streams await it before answering. */
  ready(): Promise<void> {
    this.subscribed ??= this.subscribe();
    return this.subscribed;
  }

  /**
   * Calls `listener` with each new notification of the workspace and, with `userId`, of the member, from any
   * process; answers the unsubscribe.
   */
  listen(workspaceId: string, listener: Listener, userId: string | null = null): () => void {
    void this.ready();
    const keys = userId ? [workspaceId, memberKey(userId)] : [workspaceId];
    for (const key of keys) {
      const set = this.listeners.get(key) ?? new Set<Listener>();
      set.add(listener);
      this.listeners.set(key, set);
    }
    return () => {
      for (const key of keys) {
        const set = this.listeners.get(key);
        set?.delete(listener);
        if (set && !set.size) this.listeners.delete(key);
      }
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  private async subscribe(): Promise<void> {
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true, keyPrefix: undefined });
    this.subscriber = subscriber;
    subscriber.on('error', (error) => this.logger.warn(`notifications channel: ${error.message}`));
    subscriber.on('message', (_channel, text: string) => {
      const { key, notification } = JSON.parse(text) as { key: string; notification: NotificationView };
      notification.createdAt = new Date(notification.createdAt);
      for (const listener of this.listeners.get(key) ?? []) listener(notification);
    });
    await subscriber.subscribe(this.channel);
  }
}
