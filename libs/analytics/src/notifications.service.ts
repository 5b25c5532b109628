import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { AppConfig, InjectRedis, notFound } from '@crescendo/platform';
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
  workspaceId: string;
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

/**
 * The workspace's in-app notifications: written once per domain event, read and marked read through the API,
 * and announced on a Redis channel so every API process can push them to its open streams.
 */
@Injectable()
export class NotificationsService implements OnModuleDestroy {
  private readonly logger = new Logger(NotificationsService.name);
  private readonly channel: string;
  private readonly listeners = new Map<string, Set<Listener>>();
  private subscriber?: Redis;
  private subscribed?: Promise<void>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRedis() private readonly redis: Redis,
    config: AppConfig,
  ) {
    this.channel = `${config.env.REDIS_PREFIX}:notifications`;
  }

  /** Writes the notification unless its event already wrote one, then announces it. */
  async record(entry: NewNotification): Promise<NotificationView | null> {
    const [row] = (await this.dataSource.query(
      `INSERT INTO notifications (workspace_id, event_id, kind, level, message, data)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (event_id) DO NOTHING
       RETURNING id, kind, level, message, data, read_at, created_at`,
      [entry.workspaceId, entry.eventId, entry.kind, entry.level, entry.message, entry.data],
    )) as Row[];
    if (!row) return null;
    const view = toView(row);
    await this.redis
      .publish(this.channel, JSON.stringify({ workspaceId: entry.workspaceId, notification: view }))
      .catch((error: Error) => this.logger.warn(`notification not announced: ${error.message}`));
    return view;
  }

  async latest(workspaceId: string, limit: number): Promise<{ notifications: NotificationView[]; unread: number }> {
    const [rows, [count]] = await Promise.all([
      this.dataSource.query(
        `SELECT id, kind, level, message, data, read_at, created_at FROM notifications
          WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
        [workspaceId, limit],
      ) as Promise<Row[]>,
      this.dataSource.query(
        'SELECT count(*)::int AS n FROM notifications WHERE workspace_id = $1 AND read_at IS NULL',
        [workspaceId],
      ) as Promise<{ n: number }[]>,
    ]);
    return { notifications: rows.map(toView), unread: count.n };
  }

  async markRead(workspaceId: string, id: string): Promise<void> {
    const [, affected] = (await this.dataSource.query(
      `UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id],
    )) as [unknown, number];
    if (!affected) throw notFound('NOTIFICATION_NOT_FOUND', 'Notification not found');
  }

  async markAllRead(workspaceId: string): Promise<number> {
    const [, affected] = (await this.dataSource.query(
      'UPDATE notifications SET read_at = now() WHERE workspace_id = $1 AND read_at IS NULL',
      [workspaceId],
    )) as [unknown, number];
    return affected;
  }

  /** Opens this process's subscription to the channel (once); streams await it before answering. */
  ready(): Promise<void> {
    this.subscribed ??= this.subscribe();
    return this.subscribed;
  }

  /** Calls `listener` with each new notification of the workspace, from any process; answers the unsubscribe. */
  listen(workspaceId: string, listener: Listener): () => void {
    void this.ready();
    const set = this.listeners.get(workspaceId) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(workspaceId, set);
    return () => {
      set.delete(listener);
      if (!set.size) this.listeners.delete(workspaceId);
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
      const { workspaceId, notification } = JSON.parse(text) as { workspaceId: string; notification: NotificationView };
      notification.createdAt = new Date(notification.createdAt);
      for (const listener of this.listeners.get(workspaceId) ?? []) listener(notification);
    });
    await subscriber.subscribe(this.channel);
  }
}
