import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import type { EntityManager } from 'typeorm';
import { ManagementService, WorkspaceSettingsService } from '@crescendo/settings';
import {
  AppConfig,
  CursorCodec,
  type CursorPaginated,
  InjectRedis,
  type MemberNotice,
  MemberNotifier,
  notFound,
  type SqlPartBuilder,
  stableUuid,
} from '@crescendo/platform';
import type { NotificationLevel } from './notification.entity';
import {
  type NewNotificationRow,
  type NotificationRow,
  NotificationsRepository,
  type WrittenNotificationRow,
} from './notifications.repository';
import { settingOf } from './notification-kinds';
import { type NotificationContent, notificationText } from './notification-messages';

/**
 * A notification as the API reads it (internal, camelCase): `message` is what was stored (English), the text is
 * written in the reader's language from `kind` and `params` when presented (notificationText).
 */
export interface NotificationView {
  id: string;
  kind: string;
  level: NotificationLevel;
  message: string;
  params: Record<string, unknown> | null;
  data: Record<string, unknown>;
  read: boolean;
  createdAt: Date;
}

/** A workspace's notification, as features hand it to `notify`: its kind and what its text says. */
export type NewNotification = NotificationContent & {
  workspaceId: string;
  eventId: string;
  level: NotificationLevel;
  data: Record<string, unknown>;
};

const toView = (r: NotificationRow): NotificationView => ({
  id: r.id,
  kind: r.kind,
  level: r.level,
  message: r.message,
  params: r.params,
  data: r.data,
  read: r.read_at !== null,
  createdAt: r.created_at,
});

/** The English text stored beside a notification's kind and parameters (the column holds 500 characters). */
const storedText = (n: { kind: string; params: object }) =>
  notificationText({ kind: n.kind, params: n.params as Record<string, unknown>, message: n.kind }, 'en').slice(0, 500);

type Listener = (notification: NotificationView) => void;

/** A notification a feature's statement wrote (through `insertion`), to `announce`. */
export type WrittenNotification = WrittenNotificationRow;

/** How long an announcement waits for others to go to Redis with it. */
const ANNOUNCE_WINDOW_MS = 5;

/** A member's own notifications are listened to under this key (workspaces' under their id). */
const memberKey = (userId: string) => `user:${userId}`;

/**
 * In-app notifications: a workspace's, written once per domain event, and a member's own (forum mentions), read
 * and marked read through the API (a member sees their workspace's and their own), and announced on a Redis
 * channel so every API process can push them to its open streams.
 */
@Injectable()
export class NotificationsService implements OnModuleDestroy, OnModuleInit {
  private readonly logger = new Logger(NotificationsService.name);
  private readonly channel: string;
  private readonly listeners = new Map<string, Set<Listener>>();
  private subscriber?: Redis;
  private subscribed?: Promise<void>;
  /** Announcements waiting for the end of their window. */
  private announcements: string[] = [];
  private announceTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly repository: NotificationsRepository,
    private readonly cursors: CursorCodec,
    private readonly settings: WorkspaceSettingsService,
    @InjectRedis() private readonly redis: Redis,
    config: AppConfig,
    private readonly memberNotifier: MemberNotifier,
    private readonly preferences: ManagementService,
  ) {
    this.channel = `${config.env.REDIS_PREFIX}:notifications`;
  }

  onModuleInit(): void {
    // Features hand a member's own notices (forum mentions) to the platform's notifier; they land here.
    this.memberNotifier.use({ notify: (notice) => this.notifyMember(notice) });
  }

  /**
   * What features call: writes the notification when the workspace's in-app switch for its kind is on (kinds
   * are listed in NOTIFICATION_KINDS; an always-on kind is written regardless), once per `eventId`.
   */
  async notify(entry: NewNotification): Promise<NotificationView | null> {
    const row = await this.repository.insert(this.insertion(entry)(1, null));
    return row && this.announce(row);
  }

  /**
   * `notify` as a part of a feature's own statement, so that the notification is written with the change it
   * reports (one statement: both or neither) and the switch is read by that statement. Once it has committed,
   * hand the row it returned to `announce`.
   */
  insertion(entry: NewNotification): SqlPartBuilder {
    const setting = settingOf(entry.kind);
    if (setting === undefined) throw new Error(`Unknown notification kind ${entry.kind}`);
    const row = { ...entry, message: storedText(entry) };
    const gate =
      setting === null ? undefined : (first: number) => this.settings.inAppSwitchSql(entry.workspaceId, setting, first);
    return (first, source) => this.repository.insertSql(row, first, source, gate);
  }

  /** `notify` inside the caller's transaction (with its change or not at all): `announce` the row once committed. */
  notifyWithin(manager: EntityManager, entry: NewNotification): Promise<WrittenNotification | null> {
    return this.repository.insertWithin(manager, this.insertion(entry)(1, null));
  }

  /**
   * A member's own notification (no workspace), unless their own preferences turned its kind off: the
   * workspace's switches (NOTIFICATION_KINDS) do not govern it. Once per notice key.
   */
  async notifyMember(notice: MemberNotice): Promise<boolean> {
    const preferences = await this.preferences.preferencesOf(notice.userId);
    if (!preferences[notice.preference]) return false;
    // The key as a UUID in the event id's unique index: a notice saved twice is recorded once.
    const recorded = await this.record({
      workspaceId: null,
      userId: notice.userId,
      eventId: stableUuid(`member:${notice.key}`),
      kind: notice.kind,
      level: 'info',
      params: notice.params,
      message: storedText(notice),
      data: notice.data,
    });
    return recorded !== null;
  }

  /**
   * Writes the notification unless its event already wrote one, then announces it. `message`: its text in English,
   * stored beside its kind and parameters for what reads the table directly.
   */
  async record(entry: NewNotificationRow): Promise<NotificationView | null> {
    const row = await this.repository.insert(this.repository.insertSql(entry, 1, null));
    return row && this.announce(row);
  }

  /**
   * Tells every API process's open streams of a written notification (a Redis channel), within
   * ANNOUNCE_WINDOW_MS: the announcements of that window (a burst of webhooks, say) go to Redis as one pipeline,
   * one write, out of the caller's way. Best effort: the notification is stored, a stream that missed it reads it
   * on its next list.
   */
  announce(row: WrittenNotification): NotificationView {
    const view = toView(row);
    const key = row.workspace_id ?? memberKey(row.user_id!);
    this.announcements.push(JSON.stringify({ key, notification: view }));
    this.announceTimer ??= setTimeout(() => void this.flushAnnouncements(), ANNOUNCE_WINDOW_MS).unref();
    return view;
  }

  private async flushAnnouncements(): Promise<void> {
    if (this.announceTimer) clearTimeout(this.announceTimer);
    this.announceTimer = null;
    const messages = this.announcements.splice(0);
    if (!messages.length) return;
    const pipeline = this.redis.pipeline();
    for (const message of messages) pipeline.publish(this.channel, message);
    try {
      const failed = (await pipeline.exec())?.find(([error]) => error)?.[0];
      if (failed) this.logger.warn(`notification not announced: ${failed.message}`);
    } catch (error) {
      this.logger.warn(`notification not announced: ${(error as Error).message}`);
    }
  }

  /** The workspace's newest and, for a member (`userId`), their own, merged newest first. */
  async latest(
    workspaceId: string,
    limit: number,
    userId: string | null = null,
  ): Promise<{ notifications: NotificationView[]; unread: number }> {
    const { rows, unread } = await this.repository.latest({ workspaceId, userId }, limit);
    return { notifications: rows.map(toView), unread };
  }

  unreadCount(workspaceId: string, userId: string | null = null): Promise<number> {
    return this.repository.unreadCount({ workspaceId, userId });
  }

  /** The workspace's notifications and, for a member, their own, newest first, a page at a time. */
  async page(
    workspaceId: string,
    query: { page: number; limit: number; cursor?: string; unread?: boolean },
    userId: string | null = null,
  ): Promise<CursorPaginated<NotificationView>> {
    const result = await this.repository.page(
      { workspaceId, userId },
      { unread: query.unread },
      {
        codec: this.cursors,
        // A member's cursor walks their own notifications too: not another member's.
        scope: `${workspaceId}:${userId ?? 'workspace'}:notifications:${query.unread ? 'unread' : 'all'}`,
        request: { page: query.page, limit: query.limit, cursor: query.cursor },
      },
    );
    return { data: result.data.map(toView), pagination: result.pagination };
  }

  async markRead(workspaceId: string, id: string, userId: string | null = null): Promise<void> {
    if (!(await this.repository.markRead({ workspaceId, userId }, id))) {
      throw notFound('NOTIFICATION_NOT_FOUND', 'Notification not found');
    }
  }

  markAllRead(workspaceId: string, userId: string | null = null): Promise<number> {
    return this.repository.markAllRead({ workspaceId, userId });
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
    await this.flushAnnouncements();
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
