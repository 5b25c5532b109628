import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  CursorPosition,
  CursorValues,
  keysetPageSql,
  keysetSql,
  type KeysetOrder,
  boundedCount,
} from '@crescendo/platform';
import { ForumCommentEntity } from './forum-comment.entity';
import { ForumReportEntity, ForumReportStatus } from './forum-report.entity';
import { ForumTopicEntity } from './forum-topic.entity';

/** Pinned first, then newest; id last in the same direction (IDX_forum_topics_list / _category_list). */
export const forumTopicOrder: KeysetOrder = {
  columns: ['t.is_pinned', 't.created_at', 't.id'],
  descending: true,
};

export interface ForumTopicFilter {
  category?: string;
  search?: string;
}

const SEARCH_VECTOR = `to_tsvector('simple', t.title || ' ' || t.content)`;

/** The forum's SQL. */
@Injectable()
export class ForumRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private where(filter: ForumTopicFilter): { sql: string; params: unknown[] } {
    const conditions = ['NOT t.is_hidden'];
    const params: unknown[] = [];
    if (filter.category) conditions.push(`t.category = $${params.push(filter.category)}`);
    if (filter.search) {
      conditions.push(`${SEARCH_VECTOR} @@ websearch_to_tsquery('simple', $${params.push(filter.search)})`);
    }
    return { sql: conditions.join(' AND '), params };
  }

  async listPage(
    filter: ForumTopicFilter,
    position: CursorPosition | null,
    take: number,
    offset: number,
  ): Promise<Array<{ row: ForumTopicEntity; key: CursorValues }>> {
    const { sql, params } = this.where(filter);
    const seek = keysetSql(forumTopicOrder, position, params.length + 1);
    const values = [...params, ...seek.params, take];
    const paging = offset > 0 ? ` OFFSET $${values.push(offset)}` : '';
    const rows: Array<Record<string, unknown>> = await this.db.query(
      keysetPageSql({
        from: `forum_topics t WHERE ${sql}${seek.where ? ` AND ${seek.where}` : ''}`,
        alias: 't',
        outputs: 't.*',
        order: forumTopicOrder,
        orderBy: seek.orderBy,
        paging: `LIMIT $${params.length + seek.params.length + 1}${paging}`,
      }),
      values,
    );
    return rows.map(({ cursor_key, ...row }) => ({
      row: this.db.getRepository(ForumTopicEntity).create(camelTopic(row)),
      key: cursor_key as CursorValues,
    }));
  }

  listTotal(filter: ForumTopicFilter): Promise<{ total: number; totalIsEstimate: boolean }> {
    const { sql, params } = this.where(filter);
    return boundedCount(
      (text, values) => this.db.query(text, values).then((rows: Record<string, unknown>[]) => ({ rows })),
      `forum_topics t WHERE ${sql}`,
      params,
    );
  }

  findTopic(id: string, manager: EntityManager = this.db.manager): Promise<ForumTopicEntity | null> {
    return manager.getRepository(ForumTopicEntity).findOneBy({ id });
  }

  comments(topicId: string, limit = 500): Promise<ForumCommentEntity[]> {
    return this.db
      .getRepository(ForumCommentEntity)
      .find({ where: { topicId, isHidden: false }, order: { createdAt: 'ASC', id: 'ASC' }, take: limit });
  }

  insertTopic(values: Partial<ForumTopicEntity>): Promise<ForumTopicEntity> {
    const repo = this.db.getRepository(ForumTopicEntity);
    return repo.save(repo.create(values));
  }

  /** Adds a comment unless the topic is locked, hidden or gone, in one transaction with the topic row locked. */
  async insertComment(
    topicId: string,
    values: Partial<ForumCommentEntity>,
  ): Promise<ForumCommentEntity | 'missing' | 'locked'> {
    return this.db.transaction(async (manager) => {
      const [topic]: Array<{ is_locked: boolean; is_hidden: boolean }> = await manager.query(
        `SELECT is_locked, is_hidden FROM forum_topics WHERE id = $1 FOR UPDATE`,
        [topicId],
      );
      if (!topic || topic.is_hidden) return 'missing';
      if (topic.is_locked) return 'locked';
      const repo = manager.getRepository(ForumCommentEntity);
      const comment = await repo.save(repo.create({ ...values, topicId }));
      await manager.query(`UPDATE forum_topics SET comment_count = comment_count + 1 WHERE id = $1`, [topicId]);
      return comment;
    });
  }

  /** Counts a view once per reader per clock hour: the key's conflict makes concurrent reads count once. */
  async countView(topicId: string, reader: string): Promise<void> {
    await this.db.query(
      `WITH seen AS (
         INSERT INTO forum_topic_views (topic_id, reader, hour) VALUES ($1, $2, date_trunc('hour', now()))
         ON CONFLICT DO NOTHING RETURNING topic_id)
       UPDATE forum_topics SET views = views + 1 WHERE id IN (SELECT topic_id FROM seen)`,
      [topicId, reader],
    );
  }

  async moderate(id: string, changes: Partial<Pick<ForumTopicEntity, 'isPinned' | 'isLocked' | 'isHidden'>>) {
    if (Object.keys(changes).length) await this.db.getRepository(ForumTopicEntity).update({ id }, changes);
  }

  async editTopic(id: string, changes: Partial<Pick<ForumTopicEntity, 'title' | 'content' | 'contentHtml'>>) {
    await this.db.getRepository(ForumTopicEntity).update({ id }, { ...changes, editedAt: () => 'now()' });
  }

  /**
   * Forum members (anyone who posted) whose display name, as a mention key (lower-case letters and digits),
   * is one of `keys`; `inTopic`: they posted in `topicId`. Posters only: a mention cannot reach someone the
   * forum never showed.
   */
  async mentionCandidates(
    keys: string[],
    topicId: string,
  ): Promise<Array<{ userId: string; key: string; inTopic: boolean }>> {
    const rows: Array<{ user_id: string; key: string; in_topic: boolean }> = await this.db.query(
      `SELECT p.user_id, p.key, bool_or(p.topic_id = $2) AS in_topic
         FROM (SELECT id AS topic_id, user_id, lower(regexp_replace(user_name, '[^[:alnum:]]', '', 'g')) AS key
                 FROM forum_topics WHERE user_id IS NOT NULL
               UNION ALL
               SELECT topic_id, user_id, lower(regexp_replace(user_name, '[^[:alnum:]]', '', 'g'))
                 FROM forum_comments WHERE user_id IS NOT NULL) p
        WHERE p.key = ANY ($1::text[])
        GROUP BY p.user_id, p.key`,
      [keys, topicId],
    );
    return rows.map((r) => ({ userId: r.user_id, key: r.key, inTopic: r.in_topic }));
  }

  findComment(id: string): Promise<ForumCommentEntity | null> {
    return this.db.getRepository(ForumCommentEntity).findOneBy({ id });
  }

  /** Deletes a comment and takes it off its topic's count, in one transaction. */
  async deleteComment(comment: ForumCommentEntity): Promise<void> {
    await this.db.transaction(async (manager) => {
      const [, deleted] = (await manager.query(`DELETE FROM forum_comments WHERE id = $1`, [comment.id])) as [
        unknown,
        number,
      ];
      if (deleted)
        await manager.query(`UPDATE forum_topics SET comment_count = greatest(comment_count - 1, 0) WHERE id = $1`, [
          comment.topicId,
        ]);
    });
  }

  insertReport(values: Partial<ForumReportEntity>): Promise<ForumReportEntity> {
    const repo = this.db.getRepository(ForumReportEntity);
    return repo.save(repo.create(values));
  }

  /** Reports with `status`, for queryBuilderList (newest first). */
  reports(status: ForumReportStatus) {
    return this.db.getRepository(ForumReportEntity).createQueryBuilder('r').where('r.status = :status', { status });
  }

  /** Sets the outcome of an open report; false when it is unknown or no longer open. */
  async handleReport(id: string, status: ForumReportStatus, moderatorId: string): Promise<ForumReportEntity | null> {
    const [rows] = (await this.db.query(
      `UPDATE forum_reports SET status = $2, handled_by_id = $3, handled_at = now()
        WHERE id = $1 AND status = 'open' RETURNING id`,
      [id, status, moderatorId],
    )) as [Array<{ id: string }>, number];
    return rows.length ? this.db.getRepository(ForumReportEntity).findOneBy({ id }) : null;
  }

  findReport(id: string): Promise<ForumReportEntity | null> {
    return this.db.getRepository(ForumReportEntity).findOneBy({ id });
  }

  async deleteTopic(id: string): Promise<void> {
    await this.db.getRepository(ForumTopicEntity).delete({ id });
  }
}

function camelTopic(row: Record<string, unknown>): Partial<ForumTopicEntity> {
  return {
    id: row.id as string,
    category: row.category as string,
    title: row.title as string,
    content: row.content as string,
    contentHtml: row.content_html as string,
    userId: row.user_id as string | null,
    userName: row.user_name as string,
    views: row.views as number,
    commentCount: row.comment_count as number,
    isPinned: row.is_pinned as boolean,
    isLocked: row.is_locked as boolean,
    isHidden: row.is_hidden as boolean,
    editedAt: row.edited_at as Date | null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}
