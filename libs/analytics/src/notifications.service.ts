import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import { WorkspaceSettingsService } from '@crescendo/settings';
import { AppConfig, CursorCodec, type CursorPaginated, InjectRedis, notFound } from '@crescendo/platform';
import type { NotificationLevel } from './notification.entity';
import { type NotificationRow, NotificationsRepository } from './notifications.repository';
import { settingOf } from './notification-kinds';

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

const toView = (r: NotificationRow): NotificationView => ({
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
    private readonly repository: NotificationsRepository,
    private readonly cursors: CursorCodec,
    private readonly settings: WorkspaceSettingsService,
    @InjectRedis() private readonly redis: Redis,
    config: AppConfig,
  ) {
    this.channel = `${config.env.REDIS_PREFIX}:notifications`;
  }

  /**
   * What features call: writes the notification when the workspace's in-app switch for its kind is on (kinds
   * are listed in NOTIFICATION_KINDS; an always-on kind is written regardless), once per `eventId`.
   */
  async notify(entry: NewNotification): Promise<NotificationView | null> {
    const setting = settingOf(entry.kind);
    if (setting === undefined) throw new Error(`Unknown notification kind ${entry.kind}`);
    if (setting !== null) {
      const { inApp } = await this.settings.getNotifications(entry.workspaceId);
      if (!inApp[setting]) return null;
    }
    return this.record(entry);
  }

  /** Writes the notification unless its event already wrote one, then announces it. */
  async record(entry: NewNotification): Promise<NotificationView | null> {
    const row = await this.repository.insert(entry);
    if (!row) return null;
    const view = toView(row);
    await this.redis
      .publish(this.channel, JSON.stringify({ workspaceId: entry.workspaceId, notification: view }))
      .catch((error: Error) => this.logger.warn(`notification not announced: ${error.message}`));
    return view;
  }

  async latest(workspaceId: string, limit: number): Promise<{ notifications: NotificationView[]; unread: number }> {
    const { rows, unread } = await this.repository.latest(workspaceId, limit);
    return { notifications: rows.map(toView), unread };
  }

  unreadCount(workspaceId: string): Promise<number> {
    return this.repository.unreadCount(workspaceId);
  }

  /** The workspace's notifications, newest first, a page at a time (cursor or page number). */
  async page(
    workspaceId: string,
    query: { page: number; limit: number; cursor?: string; unread?: boolean },
  ): Promise<CursorPaginated<NotificationView>> {
    const result = await this.repository.page(
      workspaceId,
      { unread: query.unread },
      {
        codec: this.cursors,
        scope: `${workspaceId}:notifications:${query.unread ? 'unread' : 'all'}`,
        request: { page: query.page, limit: query.limit, cursor: query.cursor },
      },
    );
    return { data: result.data.map(toView), pagination: result.pagination };
  }

  async markRead(workspaceId: string, id: string): Promise<void> {
    if (!(await this.repository.markRead(workspaceId, id))) {
      throw notFound('NOTIFICATION_NOT_FOUND', 'Notification not found');
    }
  }

  markAllRead(workspaceId: string): Promise<number> {
    return this.repository.markAllRead(workspaceId);
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
