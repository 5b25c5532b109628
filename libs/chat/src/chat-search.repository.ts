import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  boundedCount,
  cursorKeySql,
  CursorPosition,
  CursorValues,
  KeyedRow,
  keysetSql,
  type KeysetOrder,
} from '@crescendo/platform';
import { ChatOwner, ConversationKind } from './chat.types';
import { CHAT_SEARCH_CONFIG } from './conversation.entity';

/**
 * $1 query text, $2 workspace, $3 user, $4 kind. Titles and messages that match, with their rank: keys only,
 * no text, so the window count and the sort handle narrow rows. Message hits filter on the owner columns
 * copied on chat_messages (the row is read for ts_rank anyway) rather than joining every conversation.
 */
export const hitsSql = `
  SELECT c.id AS conversation_id, NULL::uuid AS message_id,
         ts_rank(c.search_vector, q.query) * 2 AS rank, c.updated_at AS at
    FROM conversations c, websearch_to_tsquery('${CHAT_SEARCH_CONFIG}', $1) q(query)
   WHERE c.workspace_id = $2 AND c.user_id = $3 AND c.kind = $4 AND c.search_vector @@ q.query
  UNION ALL
  SELECT m.conversation_id, m.id, ts_rank(m.search_vector, q.query), m.created_at
    FROM chat_messages m, websearch_to_tsquery('${CHAT_SEARCH_CONFIG}', $1) q(query)
   WHERE m.workspace_id = $2 AND m.user_id = $3 AND m.conversation_kind = $4 AND m.search_vector @@ q.query`;

/** Best first: rank, then the newest, then the hit's own id (the message's, or the conversation's for a title). */
export const SEARCH_ORDER: KeysetOrder = { columns: ['h.rank', 'h.at', 'h.key'], descending: true };

/**
 * One page of hits by rank after the seek, then the page's texts (20 primary-key lookups), headlines and cursor
 * keys for those rows only: ts_headline re-parses the text, and json_build_array formats the timestamp, both
 * costly when evaluated for every hit below the sort. Parameters $1-$4 as hitsSql, then the seek's, the limit and
 * the offset.
 */
export function searchSql(seekWhere: string | null, orderBy: string, limitParam: number): string {
  return `
  WITH page AS (
    SELECT h.*
      FROM (SELECT hits.*, COALESCE(hits.message_id, hits.conversation_id) AS key FROM (${hitsSql}) hits) h
     ${seekWhere ? `WHERE ${seekWhere}` : ''}
     ORDER BY ${orderBy}
     LIMIT $${limitParam} OFFSET $${limitParam + 1}
  )
  SELECT h.conversation_id, h.message_id, c.title, h.rank, h.at, ${cursorKeySql(SEARCH_ORDER)} AS cursor_key,
         ts_headline('${CHAT_SEARCH_CONFIG}', CASE WHEN h.message_id IS NULL THEN c.title ELSE m.content END,
           websearch_to_tsquery('${CHAT_SEARCH_CONFIG}', $1), 'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15')
           AS snippet
    FROM page h
    JOIN conversations c ON c.id = h.conversation_id
    LEFT JOIN chat_messages m ON m.id = h.message_id
   ORDER BY ${orderBy}`;
}

interface SearchRow {
  conversation_id: string;
  message_id: string | null;
  title: string;
  snippet: string;
  rank: string;
  at: string;
  cursor_key: CursorValues;
}

export interface SearchHitRow {
  conversationId: string;
  messageId: string | null;
  title: string;
  snippet: string;
  rank: number;
  at: Date;
}

/**
 * Full-text search over an owner's message contents and conversation titles: the generated tsvector columns
 * (GIN-indexed) against websearch_to_tsquery, ranked with ts_rank (a title hit weighs double), snippets with
 * ts_headline on the page's rows only.
 */
@Injectable()
export class ChatSearchRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `take` hits after `position` in SEARCH_ORDER (or `offset` in), each with its cursor values. */
  async searchPage(
    owner: ChatOwner,
    kind: ConversationKind,
    q: string,
    position: CursorPosition | null,
    take: number,
    offset: number,
  ): Promise<KeyedRow<SearchHitRow>[]> {
    const params: unknown[] = [q, owner.workspaceId, owner.userId, kind];
    const seek = keysetSql(SEARCH_ORDER, position, params.length + 1);
    const values = [...params, ...seek.params, take, offset];
    const rows: SearchRow[] = await this.dataSource.query(
      searchSql(seek.where, seek.orderBy, values.length - 1),
      values,
    );
    return rows.map((r) => ({
      row: {
        conversationId: r.conversation_id,
        messageId: r.message_id,
        title: r.title,
        snippet: r.snippet,
        rank: Number(r.rank),
        at: new Date(r.at),
      },
      key: r.cursor_key,
    }));
  }

  /** The number of hits, bounded (see boundedCount). */
  count(owner: ChatOwner, kind: ConversationKind, q: string): Promise<{ total: number; totalIsEstimate: boolean }> {
    return boundedCount(
      (text, values) => this.dataSource.query(text, values).then((rows: Record<string, unknown>[]) => ({ rows })),
      `(${hitsSql}) h`,
      [q, owner.workspaceId, owner.userId, kind],
    );
  }
}
