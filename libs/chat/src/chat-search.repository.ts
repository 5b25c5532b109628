import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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

/**
 * One page of hits by rank, then the page's texts (20 primary-key lookups) and headlines for those rows only
 * (ts_headline re-parses the text: costly). $5 limit, $6 offset.
 */
export const searchSql = `
  WITH page AS (
    SELECT h.*, count(*) OVER () AS total FROM (${hitsSql}) h
     ORDER BY h.rank DESC, h.at DESC, h.message_id NULLS FIRST
     LIMIT $5 OFFSET $6
  )
  SELECT p.conversation_id, p.message_id, c.title, p.rank, p.at, p.total,
         ts_headline('${CHAT_SEARCH_CONFIG}', CASE WHEN p.message_id IS NULL THEN c.title ELSE m.content END,
           websearch_to_tsquery('${CHAT_SEARCH_CONFIG}', $1), 'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15')
           AS snippet
    FROM page p
    JOIN conversations c ON c.id = p.conversation_id
    LEFT JOIN chat_messages m ON m.id = p.message_id
   ORDER BY p.rank DESC, p.at DESC, p.message_id NULLS FIRST`;

interface SearchRow {
  conversation_id: string;
  message_id: string | null;
  title: string;
  snippet: string;
  rank: string;
  at: string;
  total: string;
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

  /** One page of hits, best first, and the total of hits (null past the last page: see count). */
  async search(
    owner: ChatOwner,
    kind: ConversationKind,
    q: string,
    limit: number,
    offset: number,
  ): Promise<{ hits: SearchHitRow[]; total: number | null }> {
    const rows: SearchRow[] = await this.dataSource.query(searchSql, [
      q,
      owner.workspaceId,
      owner.userId,
      kind,
      limit,
      offset,
    ]);
    const hits = rows.map((r) => ({
      conversationId: r.conversation_id,
      messageId: r.message_id,
      title: r.title,
      snippet: r.snippet,
      rank: Number(r.rank),
      at: new Date(r.at),
    }));
    return { hits, total: rows.length ? Number(rows[0].total) : null };
  }

  /** The number of hits (past the last page the window count is not there). */
  async count(owner: ChatOwner, kind: ConversationKind, q: string): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*) AS n FROM (${hitsSql}) h`, [
      q,
      owner.workspaceId,
      owner.userId,
      kind,
    ]);
    return Number(row.n);
  }
}
