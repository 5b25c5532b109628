import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AiMessage, AiProviderRegistry, AiService, isAiError } from '@crescendo/ai';
import { AppException, badRequest, notFound, paginate, Principal, skipOf } from '@crescendo/platform';
import { ChatMessageEntity, ChatRole } from './chat-message.entity';
import { cleanTitle, fallbackTitle, preview, withTag } from './chat-text';
import {
  ChatAnswerDto,
  ChatMessageDto,
  ChatProviderErrorDto,
  ChatSearchResponseDto,
  ChatConversationDetailDto,
  ChatConversationListResponseDto,
  ChatConversationSummaryDto,
  FoldersResponseDto,
  ChatListConversationsQueryDto,
  MAX_TAGS,
  SearchChatQueryDto,
  SendChatMessageDto,
  SendChatMessageResponseDto,
} from './chat.dto';
import { CHAT_SEARCH_CONFIG, ConversationEntity, ConversationKind, DEFAULT_FOLDER } from './conversation.entity';

/** A provider and model a message goes to; `key` names its answer in ai_responses. */
export interface ChatTarget {
  provider: string;
  model: string;
  key: string;
}

/** What a turn needs once the user message is stored. */
export interface PreparedTurn {
  conversation: ConversationEntity;
  userMessage: ChatMessageEntity;
  isNew: boolean;
  history: ChatMessageEntity[];
  /** Settles once the user message (and a new conversation) is written. */
  persisted: Promise<void>;
}

export interface AnswerFields {
  provider: string;
  model: string;
  content: string;
  tokensIn: number | null;
  tokensOut: number | null;
  latencyMs: number | null;
  error: string | null;
}

/** How many earlier messages are sent as context. */
export const HISTORY_LIMIT = 40;

const TITLE_PROMPT =
  'Give a short title (at most 6 words) for a conversation that starts with the next message. ' +
  'Answer with the title only, in the language of the message, without quotes.';

const iso = (d: Date) => d.toISOString();

export const conversationNotFound = () => notFound('CONVERSATION_NOT_FOUND', 'Conversation not found');
const notFoundOf = (kind: ConversationKind) =>
  kind === ConversationKind.Assistant
    ? notFound('CHAT_SESSION_NOT_FOUND', 'Chat session not found')
    : conversationNotFound();

/** Multi-provider chat conversations of seed 003 (and the storage of seed 002's assistant sessions). */
@Injectable()
export class ChatService {
  private readonly logger = new Logger(ChatService.name);

  constructor(
    private readonly ai: AiService,
    private readonly registry: AiProviderRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** The providers/models a message goes to, checked (400 unknown, 503 none configured) before anything is stored. */
  resolveTargets(dto: Pick<SendChatMessageDto, 'providers' | 'selected_providers' | 'selected_models'>): ChatTarget[] {
    let wanted: { provider?: string; model?: string }[];
    if (dto.providers?.length) wanted = dto.providers;
    else if (dto.selected_providers?.length) {
      const models = Object.entries(dto.selected_models ?? {});
      wanted = dto.selected_providers.map((provider) => {
        const model = models.find(([name]) => name.toLowerCase() === provider.toLowerCase())?.[1];
        if (model !== undefined && typeof model !== 'string')
          throw badRequest('VALIDATION_FAILED', 'selected_models values must be strings', [
            { field: 'selected_models', message: 'values must be model names' },
          ]);
        return { provider, model };
      });
    } else wanted = [{}];
    const seen = new Set<string>();
    const targets: { provider: string; model: string }[] = [];
    for (const w of wanted) {
      const { runtime, model } = this.registry.resolve(w.provider, w.model);
      const id = `${runtime.config.name}\u0000${model}`;
      if (seen.has(id)) continue;
      seen.add(id);
      targets.push({ provider: runtime.config.name, model });
    }
    const twice = (p: string) => targets.filter((t) => t.provider === p).length > 1;
    return targets.map((t) => ({ ...t, key: twice(t.provider) ? `${t.provider}/${t.model}` : t.provider }));
  }

  /**
   * Checks the conversation and loads its earlier history (one query), then stores the user message (and
   * a new conversation) in the background: `persisted` settles when they are written, so provider calls
   * start without waiting for those writes (answers are stored after it, see storeAnswer).
   */
  async prepareTurn(
    principal: Principal,
    message: string,
    options: { conversationId?: string; kind: ConversationKind; folder?: string },
  ): Promise<PreparedTurn> {
    let conversation: ConversationEntity;
    let history: ChatMessageEntity[] = [];
    const isNew = !options.conversationId;
    if (options.conversationId) {
      ({ conversation, history } = await this.loadWithHistory(principal, options.conversationId, options.kind));
    } else {
      const now = new Date();
      conversation = this.dataSource.getRepository(ConversationEntity).create({
        id: randomUUID(),
        workspaceId: principal.workspaceId,
        userId: principal.userId,
        kind: options.kind,
        title: fallbackTitle(message),
        folder: options.folder ?? DEFAULT_FOLDER,
        isFavorite: false,
        tags: [],
        messageCount: 0,
        closedAt: null,
        createdAt: now,
        updatedAt: now,
        lastMessageAt: now,
      });
    }
    const userMessage = this.dataSource.getRepository(ChatMessageEntity).create({
      id: randomUUID(),
      conversationId: conversation.id,
      workspaceId: conversation.workspaceId,
      userId: conversation.userId,
      conversationKind: conversation.kind,
      role: ChatRole.User,
      content: message,
      provider: null,
      model: null,
      tokensIn: null,
      tokensOut: null,
      latencyMs: null,
      error: null,
      createdAt: new Date(),
    });
    // One statement (atomic on its own): the conversation when new, the message and its count.
    const persisted = this.insertMessage(this.dataSource.manager, conversation, userMessage, isNew).then(
      () => undefined,
    );
    // Awaited by storeAnswer and the routes; this keeps an early failure from going unhandled meanwhile.
    persisted.catch(() => undefined);
    return { conversation, userMessage, isNew, history, persisted };
  }

  /** The caller's conversation (else 404, as findOwned) and its last HISTORY_LIMIT good messages, oldest first. */
  private async loadWithHistory(
    principal: Principal,
    id: string,
    kind: ConversationKind,
  ): Promise<{ conversation: ConversationEntity; history: ChatMessageEntity[] }> {
    const rows: Record<string, any>[] = await this.dataSource.query(turnSql, [
      id,
      principal.workspaceId,
      principal.userId,
      kind,
      HISTORY_LIMIT,
    ]);
    if (!rows.length) throw notFoundOf(kind);
    const [c] = rows;
    const conversation = this.dataSource.getRepository(ConversationEntity).create({
      id: c.id,
      workspaceId: c.workspace_id,
      userId: c.user_id,
      kind: c.kind,
      title: c.title,
      folder: c.folder,
      isFavorite: c.is_favorite,
      tags: c.tags,
      messageCount: c.message_count,
      lastMessageAt: c.last_message_at,
      closedAt: c.closed_at,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
    });
    const history = rows
      .filter((r) => r.m_id !== null)
      .reverse()
      .map((r) => toMessageEntity(r, 'm_'));
    return { conversation, history };
  }

  /** The context one provider sees: the user turns and that provider's own earlier answers, then the new message. */
  contextFor(turn: PreparedTurn, provider: string | null): AiMessage[] {
    const earlier = turn.history.filter(
      (m) => m.role !== ChatRole.Assistant || provider === null || m.provider === provider,
    );
    return [...earlier, turn.userMessage].map((m) => ({ role: m.role, content: m.content }));
  }

  /** Stores an answer (or a failed one), after the turn's user message, and counts it on the conversation. */
  async storeAnswer(turn: PreparedTurn, fields: AnswerFields): Promise<ChatMessageEntity> {
    await turn.persisted;
    return this.insertMessage(this.dataSource.manager, turn.conversation, { role: ChatRole.Assistant, ...fields });
  }

  /**
   * Inserts a message and counts it on its conversation in one statement; with `create`, inserts the
   * conversation too (counted already: the statement's UPDATE could not see a row it inserts).
   */
  async insertMessage(
    manager: EntityManager,
    conversation: ConversationEntity,
    fields: Partial<ChatMessageEntity> & { role: ChatRole; content: string },
    create = false,
  ): Promise<ChatMessageEntity> {
    const c = conversation;
    const [row] = await manager.query(insertMessageSql, [
      fields.id ?? randomUUID(),
      c.id,
      c.workspaceId,
      fields.role,
      fields.content,
      fields.provider ?? null,
      fields.model ?? null,
      fields.tokensIn ?? null,
      fields.tokensOut ?? null,
      fields.latencyMs ?? null,
      fields.error ?? null,
      fields.createdAt ?? null,
      create,
      c.userId,
      c.kind,
      c.title,
      c.folder,
    ]);
    return toMessageEntity(row);
  }

  /** POST /api/chat/send: the message to every target in parallel; failures are error entries, never a 5xx. */
  async send(principal: Principal, dto: SendChatMessageDto, signal?: AbortSignal): Promise<SendChatMessageResponseDto> {
    const targets = this.resolveTargets(dto);
    const turn = await this.prepareTurn(principal, dto.message, {
      conversationId: dto.conversation_id,
      kind: ConversationKind.Chat,
      folder: dto.folder,
    });
    const started = Date.now();
    const title = turn.isNew ? this.generateTitle(principal, turn, targets[0]) : Promise.resolve();
    const outcomes = await Promise.all(
      targets.map(async (target): Promise<ChatAnswerDto | ChatProviderErrorDto> => {
        try {
          const result = await this.ai.chat({
            workspaceId: principal.workspaceId,
            userId: principal.userId,
            provider: target.provider,
            model: target.model,
            messages: this.contextFor(turn, target.provider),
            temperature: dto.temperature ?? 0.7,
            maxTokens: dto.max_tokens,
            feature: 'chat',
            signal,
          });
          const stored = await this.storeAnswer(turn, {
            provider: target.provider,
            model: result.model,
            content: result.content,
            tokensIn: result.usage.inputTokens,
            tokensOut: result.usage.outputTokens,
            latencyMs: result.latencyMs,
            error: null,
          });
          return toAnswer(stored);
        } catch (error) {
          return this.storeFailure(turn, target, error);
        }
      }),
    );
    await Promise.all([title, turn.persisted]);
    const conversation = await this.dataSource.getRepository(ConversationEntity).findOneByOrFail({
      id: turn.conversation.id,
    });
    const answers = outcomes.filter((o): o is ChatAnswerDto => 'content' in o);
    const errors = outcomes.filter((o): o is ChatProviderErrorDto => 'code' in o);
    const aiResponses: Record<string, string> = {};
    targets.forEach((target, i) => {
      const outcome = outcomes[i];
      if ('content' in outcome) aiResponses[target.key] = outcome.content;
    });
    return {
      conversation_id: conversation.id,
      title: conversation.title,
      message_id: turn.userMessage.id,
      user_message: turn.userMessage.content,
      ai_responses: aiResponses,
      answers,
      errors,
      response_time: Date.now() - started,
      created_at: iso(turn.userMessage.createdAt),
    };
  }

  /** Stores a failed answer (error code, no content) and describes it. */
  async storeFailure(
    turn: PreparedTurn,
    target: Pick<ChatTarget, 'provider' | 'model'>,
    error: unknown,
    partial = '',
  ): Promise<ChatProviderErrorDto> {
    const code = error instanceof AppException ? error.code : 'AI_PROVIDER_ERROR';
    const message = error instanceof AppException ? error.message : 'The AI provider failed';
    if (!isAiError(error)) this.logger.warn(`chat answer failed: ${String(error)}`);
    const stored = await this.storeAnswer(turn, {
      provider: target.provider,
      model: target.model,
      content: partial,
      tokensIn: null,
      tokensOut: null,
      latencyMs: null,
      error: code.slice(0, 64),
    });
    return { provider: target.provider, model: target.model, code, message, message_id: stored.id };
  }

  /**
   * Titles a new conversation from its first message: one short deterministic call (temperature 0, so
   * the AI layer caches it); the first words stay as the title when it fails.
   */
  async generateTitle(principal: Principal, turn: PreparedTurn, target?: Pick<ChatTarget, 'provider' | 'model'>) {
    try {
      const result = await this.ai.chat({
        workspaceId: principal.workspaceId,
        userId: principal.userId,
        provider: target?.provider,
        model: target?.model,
        messages: [
          { role: 'system', content: TITLE_PROMPT },
          { role: 'user', content: turn.userMessage.content.slice(0, 2000) },
        ],
        temperature: 0,
        maxTokens: 24,
        feature: 'chat:title',
      });
      const title = cleanTitle(result.content);
      await turn.persisted;
      if (title) {
        await this.dataSource.getRepository(ConversationEntity).update({ id: turn.conversation.id }, { title });
        turn.conversation.title = title;
      }
    } catch (error) {
      this.logger.debug(`title generation failed, keeping the first words: ${String(error)}`);
    }
  }

  async list(principal: Principal, query: ChatListConversationsQueryDto): Promise<ChatConversationListResponseDto> {
    const qb = this.dataSource
      .getRepository(ConversationEntity)
      .createQueryBuilder('c')
      .where('c.workspaceId = :ws AND c.userId = :user AND c.kind = :kind', {
        ws: principal.workspaceId,
        user: principal.userId,
        kind: ConversationKind.Chat,
      });
    if (query.folder) qb.andWhere('c.folder = :folder', { folder: query.folder });
    if (query.tag) qb.andWhere('c.tags @> ARRAY[:tag]::text[]', { tag: query.tag });
    if (query.favorite) qb.andWhere('c.isFavorite = :fav', { fav: query.favorite === 'true' });
    const total = await qb.clone().getCount();
    const rows = await qb
      .clone()
      .select(['c.id', 'c.title', 'c.folder', 'c.isFavorite', 'c.tags', 'c.messageCount', 'c.createdAt'])
      .addSelect('c.updatedAt')
      .addSelect('c.lastMessageAt')
      .addSelect(
        `(SELECT m.content FROM chat_messages m WHERE m.conversation_id = c.id AND m.error IS NULL
           ORDER BY m.created_at DESC LIMIT 1)`,
        'last_content',
      )
      .orderBy('c.lastMessageAt', 'DESC')
      .addOrderBy('c.id', 'ASC')
      .offset(skipOf(query))
      .limit(query.limit)
      .getRawAndEntities();
    const conversations = rows.entities.map((c, i): ChatConversationSummaryDto => ({
      ...summaryOf(c),
      preview: preview(String(rows.raw[i]?.last_content ?? '')),
    }));
    const page = paginate(conversations, total, query);
    return { conversations: page.data, pagination: page.pagination };
  }

  async get(principal: Principal, id: string): Promise<ChatConversationDetailDto> {
    const conversation = await this.findOwned(this.dataSource.manager, principal, id, ConversationKind.Chat);
    const messages = await this.dataSource
      .getRepository(ChatMessageEntity)
      .find({ where: { conversationId: id }, order: { createdAt: 'ASC' } });
    const summary = summaryOf(conversation);
    return { ...summary, messages: messages.map(toMessageDto) };
  }

  async toggleFavorite(principal: Principal, id: string): Promise<{ is_favorite: boolean }> {
    const conversation = await this.findOwned(this.dataSource.manager, principal, id, ConversationKind.Chat);
    // An UPDATE through query() answers [rows, affected].
    const [[row]] = await this.dataSource.query(
      `UPDATE conversations SET is_favorite = NOT is_favorite, updated_at = now() WHERE id = $1 RETURNING is_favorite`,
      [conversation.id],
    );
    return { is_favorite: row.is_favorite };
  }

  async remove(principal: Principal, id: string): Promise<{ message: string }> {
    const conversation = await this.findOwned(this.dataSource.manager, principal, id, ConversationKind.Chat);
    await this.dataSource.getRepository(ConversationEntity).delete({ id: conversation.id });
    return { message: 'Conversation deleted successfully' };
  }

  async addTag(principal: Principal, id: string, tag: string): Promise<{ tags: string[] }> {
    return this.dataSource.transaction(async (manager) => {
      const conversation = await this.findOwned(manager, principal, id, ConversationKind.Chat, true);
      const tags = withTag(conversation.tags, tag, MAX_TAGS);
      if (!tags)
        throw badRequest('CONVERSATION_TAGS_LIMIT', `A conversation holds at most ${MAX_TAGS} tags`, [
          { field: 'tag', message: `at most ${MAX_TAGS} tags` },
        ]);
      if (tags !== conversation.tags) await manager.update(ConversationEntity, { id: conversation.id }, { tags });
      return { tags };
    });
  }

  async removeTag(principal: Principal, id: string, tag: string): Promise<{ tags: string[] }> {
    return this.dataSource.transaction(async (manager) => {
      const conversation = await this.findOwned(manager, principal, id, ConversationKind.Chat, true);
      const tags = conversation.tags.filter((t) => t !== tag);
      if (tags.length !== conversation.tags.length)
        await manager.update(ConversationEntity, { id: conversation.id }, { tags });
      return { tags };
    });
  }

  async folders(principal: Principal): Promise<FoldersResponseDto> {
    const rows: { name: string; count: string }[] = await this.dataSource.query(
      `SELECT folder AS name, count(*) AS count FROM conversations
        WHERE workspace_id = $1 AND user_id = $2 AND kind = $3 GROUP BY folder ORDER BY folder`,
      [principal.workspaceId, principal.userId, ConversationKind.Chat],
    );
    return { folders: rows.map((r) => ({ name: r.name, count: Number(r.count) })) };
  }

  /**
   * Full-text search over the caller's message contents and conversation titles: the generated tsvector
   * columns (GIN-indexed) against websearch_to_tsquery, ranked with ts_rank (a title hit weighs double),
   * snippets with ts_headline on the page's rows only.
   */
  async search(principal: Principal, query: SearchChatQueryDto): Promise<ChatSearchResponseDto> {
    const rows: SearchRow[] = await this.dataSource.query(searchSql, [
      query.q,
      principal.workspaceId,
      principal.userId,
      ConversationKind.Chat,
      query.limit,
      skipOf(query),
    ]);
    const total = rows.length ? Number(rows[0].total) : await this.countSearch(principal, query.q);
    const page = paginate(
      rows.map((r) => ({
        conversation_id: r.conversation_id,
        message_id: r.message_id,
        title: r.title,
        snippet: r.snippet,
        rank: Number(Number(r.rank).toFixed(6)),
        date: iso(new Date(r.at)),
      })),
      total,
      query,
    );
    return { results: page.data, pagination: page.pagination };
  }

  /** Past the last page the window count is not there; count separately. */
  private async countSearch(principal: Principal, q: string): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*) AS n FROM (${hitsSql}) h`, [
      q,
      principal.workspaceId,
      principal.userId,
      ConversationKind.Chat,
    ]);
    return Number(row.n);
  }

  /** A conversation of the caller (another user's or workspace's → 404), optionally locked. */
  async findOwned(
    manager: EntityManager,
    principal: Principal,
    id: string,
    kind: ConversationKind,
    lock = false,
  ): Promise<ConversationEntity> {
    const qb = manager
      .getRepository(ConversationEntity)
      .createQueryBuilder('c')
      .where('c.id = :id AND c.workspaceId = :ws AND c.userId = :user AND c.kind = :kind', {
        id,
        ws: principal.workspaceId,
        user: principal.userId,
        kind,
      });
    if (lock) qb.setLock('pessimistic_write');
    const conversation = await qb.getOne();
    if (!conversation) throw notFoundOf(kind);
    return conversation;
  }
}

const messageColumns = `id, conversation_id, workspace_id, user_id, conversation_kind, role, content, provider, model,
  tokens_in, tokens_out, latency_ms, error, created_at`;

/** $1 conversation, $2 workspace, $3 user, $4 kind, $5 limit: the conversation, repeated on each of its last messages. */
const turnSql = `
  SELECT c.id, c.workspace_id, c.user_id, c.kind, c.title, c.folder, c.is_favorite, c.tags, c.message_count,
         c.last_message_at, c.closed_at, c.created_at, c.updated_at,
         h.id AS m_id, h.conversation_id AS m_conversation_id, h.workspace_id AS m_workspace_id,
         h.user_id AS m_user_id, h.conversation_kind AS m_conversation_kind, h.role AS m_role,
         h.content AS m_content, h.provider AS m_provider, h.model AS m_model, h.tokens_in AS m_tokens_in,
         h.tokens_out AS m_tokens_out, h.latency_ms AS m_latency_ms, h.error AS m_error, h.created_at AS m_created_at
    FROM conversations c
    LEFT JOIN LATERAL (
      SELECT ${messageColumns} FROM chat_messages m
       WHERE m.conversation_id = c.id AND m.error IS NULL
       ORDER BY m.created_at DESC LIMIT $5
    ) h ON true
   WHERE c.id = $1 AND c.workspace_id = $2 AND c.user_id = $3 AND c.kind = $4
   ORDER BY h.created_at DESC`;

/**
 * $1–$12 the message (id, conversation, workspace, role, content, provider, model, tokens in/out, latency,
 * error, created_at or null for now); $14 user and $15 kind of the conversation (copied on the message);
 * $13 true to insert the conversation ($16 title, $17 folder) with the message counted. updated_at moves as
 * TypeORM's update did.
 */
const insertMessageSql = `
  WITH created AS (
    INSERT INTO conversations (id, workspace_id, user_id, kind, title, folder, message_count, last_message_at)
    SELECT $2, $3, $14, $15, $16, $17, 1, clock_timestamp() WHERE $13::boolean
  ), counted AS (
    UPDATE conversations SET message_count = message_count + 1, last_message_at = clock_timestamp(),
           updated_at = CURRENT_TIMESTAMP
     WHERE id = $2 AND NOT $13::boolean
  )
  INSERT INTO chat_messages (id, conversation_id, workspace_id, user_id, conversation_kind, role, content, provider,
                             model, tokens_in, tokens_out, latency_ms, error, created_at)
  VALUES ($1, $2, $3, $14, $15, $4, $5, $6, $7, $8, $9, $10, $11, coalesce($12::timestamptz, clock_timestamp()))
  RETURNING ${messageColumns}`;

/** A chat_messages row (columns optionally prefixed) as an entity. */
function toMessageEntity(r: Record<string, any>, p = ''): ChatMessageEntity {
  return Object.assign(new ChatMessageEntity(), {
    id: r[`${p}id`],
    conversationId: r[`${p}conversation_id`],
    workspaceId: r[`${p}workspace_id`],
    userId: r[`${p}user_id`],
    conversationKind: r[`${p}conversation_kind`],
    role: r[`${p}role`],
    content: r[`${p}content`],
    provider: r[`${p}provider`],
    model: r[`${p}model`],
    tokensIn: r[`${p}tokens_in`],
    tokensOut: r[`${p}tokens_out`],
    latencyMs: r[`${p}latency_ms`],
    error: r[`${p}error`],
    createdAt: r[`${p}created_at`],
  });
}

interface SearchRow {
  conversation_id: string;
  message_id: string | null;
  title: string;
  snippet: string;
  rank: string;
  at: string;
  total: string;
}

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
 * (ts_headline re-parses the text: costly).
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

export function summaryOf(c: ConversationEntity): Omit<ChatConversationSummaryDto, 'preview'> {
  return {
    id: c.id,
    title: c.title,
    folder: c.folder,
    is_favorite: c.isFavorite,
    tags: c.tags,
    message_count: c.messageCount,
    created_at: iso(c.createdAt),
    updated_at: iso(c.lastMessageAt > c.updatedAt ? c.lastMessageAt : c.updatedAt),
  };
}

export function toAnswer(m: ChatMessageEntity): ChatAnswerDto {
  return {
    provider: m.provider ?? '',
    model: m.model ?? '',
    message_id: m.id,
    content: m.content,
    tokens_in: m.tokensIn ?? 0,
    tokens_out: m.tokensOut ?? 0,
    latency_ms: m.latencyMs ?? 0,
  };
}

export function toMessageDto(m: ChatMessageEntity): ChatMessageDto {
  return {
    id: m.id,
    role: m.role,
    content: m.content,
    ai_provider: m.provider,
    model: m.model,
    tokens_in: m.tokensIn,
    tokens_out: m.tokensOut,
    latency_ms: m.latencyMs,
    error: m.error,
    created_at: iso(m.createdAt),
  };
}
