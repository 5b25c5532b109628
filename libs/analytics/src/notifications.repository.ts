import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  boundedCount,
  type CursorCodec,
  type CursorPaginated,
  type CursorValues,
  keysetList,
  type KeysetOrder,
  keysetPageSql,
  keysetSql,
  type ListPageRequest,
  pgPool,
  preparedStatement,
  type SqlPart,
} from '@crescendo/platform';
import type { NotificationLevel } from './notification.entity';

export interface NotificationRow {
  id: string;
  kind: string;
  level: NotificationLevel;
  message: string;
  params: Record<string, unknown> | null;
  data: Record<string, unknown>;
  read_at: Date | null;
  created_at: Date;
}

/** A row insertSql wrote, with whom it is for (to announce it). */
export type WrittenNotificationRow = NotificationRow & { workspace_id: string | null; user_id: string | null };

export interface NewNotificationRow {
  /** Null for a member's own notification (`userId`). */
  workspaceId: string | null;
  userId?: string | null;
  eventId: string;
  kind: string;
  level: NotificationLevel;
  message: string;
  /** What the kind's text is written from, in the reader's language (notification-messages.ts); none: `message`. */
  params?: Record<string, unknown> | null;
  data: Record<string, unknown>;
}

const COLUMNS = 'id, kind, level, message, params, data, read_at, created_at';
/** Newest first, the id breaking ties: the (workspace_id, created_at, id) index. */
const ORDER: KeysetOrder = { columns: ['created_at', 'id'], descending: true };

/**
 * Whose notifications a reader sees: the workspace's and, for a signed-in member, their own (null: an API key).
 * Read as two index ranges merged, rather than an OR no index serves in order.
 */
export interface NotificationReader {
  workspaceId: string;
  userId: string | null;
}

/** The notifications table: every statement of the in-app notifications and their e-mail digest. */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The INSERT of a notification unless its event already wrote one, answering the row: its values from $first,
   * its row read FROM `source` when given (none: written only if the source has a row), and written only where
   * `gate` (a condition, its values after these) holds.
   */
  insertSql(
    entry: NewNotificationRow,
    first: number,
    source: string | null,
    gate?: (first: number) => SqlPart,
  ): SqlPart {
    const [workspace, user, event, kind, level, message, params, data] = Array.from(
      { length: 8 },
      (_, i) => `$${first + i}`,
    );
    const condition = gate?.(first + 8);
    return {
      sql: `INSERT INTO notifications (workspace_id, user_id, event_id, kind, level, message, params, data)
            SELECT ${workspace}::uuid, ${user}::uuid, ${event}::uuid, ${kind}::varchar, ${level}::varchar,
                   ${message}::varchar, ${params}::jsonb, ${data}::jsonb
            ${source ? `FROM ${source}` : ''} ${condition ? `WHERE ${condition.sql}` : ''}
            ON CONFLICT (event_id) DO NOTHING
            RETURNING ${COLUMNS}, workspace_id, user_id`,
      params: [
        entry.workspaceId,
        entry.userId ?? null,
        entry.eventId,
        entry.kind,
        entry.level,
        entry.message,
        entry.params ?? null,
        entry.data,
        ...(condition?.params ?? []),
      ],
    };
  }

  /** Runs an insertSql statement on its own: the row written, or null (written before, or the gate said no). */
  async insert(statement: SqlPart): Promise<WrittenNotificationRow | null> {
    // Straight to the pool, prepared: every notification of a burst (webhooks, jobs) costs one round trip.
    const { rows } = await pgPool(this.dataSource).query<WrittenNotificationRow>(
      preparedStatement(statement.sql, statement.params),
    );
    return rows[0] ?? null;
  }

  /** Runs an insertSql statement in the caller's transaction. */
  async insertWithin(manager: EntityManager, statement: SqlPart): Promise<WrittenNotificationRow | null> {
    const [row] = (await manager.query(statement.sql, statement.params)) as WrittenNotificationRow[];
    return row ?? null;
  }

  /** The `limit` newest (the workspace's and the member's own merged) and the unread count, in one statement. */
  async latest(reader: NotificationReader, limit: number): Promise<{ rows: NotificationRow[]; unread: number }> {
    const [result] = (await this.dataSource.query(
      `SELECT (SELECT count(*)::int FROM notifications WHERE workspace_id = $1 AND read_at IS NULL)
            + (SELECT count(*)::int FROM notifications WHERE user_id = $3 AND read_at IS NULL) AS unread,
              coalesce((SELECT json_agg(n ORDER BY n.created_at DESC, n.id DESC) FROM (
                SELECT * FROM (
                  (SELECT ${COLUMNS} FROM notifications WHERE workspace_id = $1
                    ORDER BY created_at DESC, id DESC LIMIT $2)
                  UNION ALL
                  (SELECT ${COLUMNS} FROM notifications WHERE user_id = $3
                    ORDER BY created_at DESC, id DESC LIMIT $2)) u
                 ORDER BY created_at DESC, id DESC LIMIT $2) n), '[]') AS rows`,
      [reader.workspaceId, limit, reader.userId],
    )) as { unread: number; rows: (NotificationRow & { created_at: string; read_at: string | null })[] }[];
    return {
      unread: result.unread,
      rows: result.rows.map((r) => ({
        ...r,
        created_at: new Date(r.created_at),
        read_at: r.read_at ? new Date(r.read_at) : null,
      })),
    };
  }

  unreadCount(reader: NotificationReader): Promise<number> {
    return this.dataSource
      .query(
        `SELECT (SELECT count(*)::int FROM notifications WHERE workspace_id = $1 AND read_at IS NULL)
              + (SELECT count(*)::int FROM notifications WHERE user_id = $2 AND read_at IS NULL) AS n`,
        [reader.workspaceId, reader.userId],
      )
      .then((rows: { n: number }[]) => rows[0].n);
  }

  /**
   * One page, newest first, by cursor (a seek on the list indexes) or page number; `unread` keeps the unread.
   * The workspace's and the member's own are each read in order from their index (the seek applied to both,
   * `offset + take` at most from each) and merged.
   */
  page(
    reader: NotificationReader,
    filters: { unread?: boolean },
    page: { codec: CursorCodec; scope: string; request: ListPageRequest },
  ): Promise<CursorPaginated<NotificationRow>> {
    const unread = filters.unread ? ' AND read_at IS NULL' : '';
    return keysetList<NotificationRow, NotificationRow>({
      ...page,
      order: ORDER,
      fetch: async (position, take, offset) => {
        const seek = keysetSql(ORDER, position, 3);
        const params = [reader.workspaceId, reader.userId, ...seek.params, take, offset, take + offset];
        const [limit, skip, each] = [`$${params.length - 2}`, `$${params.length - 1}`, `$${params.length}`];
        const branch = (owner: string) =>
          `(SELECT ${COLUMNS} FROM notifications WHERE ${owner}${unread}${seek.where ? ` AND ${seek.where}` : ''}
             ORDER BY ${seek.orderBy} LIMIT ${each})`;
        const rows = (await this.dataSource.query(
          keysetPageSql({
            from: `(${branch('workspace_id = $1')} UNION ALL ${branch('user_id = $2')}) n`,
            alias: 'n',
            outputs: '*',
            order: ORDER,
            orderBy: seek.orderBy,
            paging: `LIMIT ${limit} OFFSET ${skip}`,
          }),
          params,
        )) as (NotificationRow & { cursor_key: CursorValues })[];
        return rows.map(({ cursor_key, ...row }) => ({ row, key: cursor_key }));
      },
      count: () =>
        boundedCount(
          (text, values) => this.dataSource.query(text, values).then((rows: Record<string, unknown>[]) => ({ rows })),
          `notifications WHERE (workspace_id = $1 OR user_id = $2)${unread}`,
          [reader.workspaceId, reader.userId],
        ),
      map: (row) => row,
    });
  }

  /** Marks one read; answers false when the reader sees no such notification. */
  async markRead(reader: NotificationReader, id: string): Promise<boolean> {
    const [, affected] = (await this.dataSource.query(
      `UPDATE notifications SET read_at = coalesce(read_at, now())
        WHERE id = $2 AND (workspace_id = $1 OR user_id = $3)`,
      [reader.workspaceId, id, reader.userId],
    )) as [unknown, number];
    return affected > 0;
  }

  async markAllRead(reader: NotificationReader): Promise<number> {
    const [, affected] = (await this.dataSource.query(
      'UPDATE notifications SET read_at = now() WHERE (workspace_id = $1 OR user_id = $2) AND read_at IS NULL',
      [reader.workspaceId, reader.userId],
    )) as [unknown, number];
    return affected;
  }

  /**
   * Workspaces with notifications created after `since` that no digest has considered yet (a member's own,
   * with no workspace, are in-app only).
   */
  async workspacesAwaitingDigest(since: Date): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT workspace_id AS id FROM notifications
        WHERE emailed_at IS NULL AND created_at > $1 AND workspace_id IS NOT NULL`,
      [since],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /**
   * Claims (stamps `emailed_at = now`) the workspace's notifications since `since` that no digest has considered,
   * oldest first, under row locks that a concurrent run skips: two workers running the job at once claim each
   * notification once. Run inside the digest's transaction, so a failed send claims nothing.
   */
  async claimForDigest(
    manager: EntityManager,
    workspaceId: string,
    since: Date,
    now: Date,
  ): Promise<Pick<NotificationRow, 'id' | 'kind' | 'message' | 'params' | 'created_at'>[]> {
    // An UPDATE … RETURNING answers [rows, affected].
    const [rows] = (await manager.query(
      `UPDATE notifications SET emailed_at = $3
        WHERE id IN (SELECT id FROM notifications WHERE workspace_id = $1 AND emailed_at IS NULL AND created_at > $2
                      ORDER BY created_at FOR UPDATE SKIP LOCKED)
        RETURNING id, kind, message, params, created_at`,
      [workspaceId, since, now],
    )) as [Pick<NotificationRow, 'id' | 'kind' | 'message' | 'params' | 'created_at'>[], number];
    return rows;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
