import { badRequest, CursorPaginationMetaDto } from '@crescendo/platform';
import {
  ChatAnswerDto,
  ChatConversationDetailDto,
  ChatConversationListResponseDto,
  ChatConversationSummaryDto,
  ChatListConversationsQueryDto,
  ChatMessageDto,
  ChatPaginationDto,
  ChatProviderErrorDto,
  ChatSearchResponseDto,
  FavoriteResponseDto,
  SendChatMessageDto,
  SendChatMessageResponseDto,
} from './chat.dto';
import {
  ChatAnswer,
  ChatMessageView,
  ChatProviderChoice,
  ChatProviderError,
  ChatSearchPage,
  ConversationDetail,
  ConversationFilter,
  ConversationPage,
  ConversationSummary,
  SendChatInput,
  SendChatResult,
} from './chat.types';

/**
 * The /api/chat routes speak the documented snake_case dialect (`conversation_id`, `selected_providers`,
 * `is_favorite`…); the services speak camelCase. These functions translate at the edge, both ways.
 */

/** The message to send, with `selected_providers` + `selected_models` folded into provider/model pairs. */
export function sendInputOf(dto: SendChatMessageDto): SendChatInput {
  let providers: ChatProviderChoice[] | undefined;
  if (dto.providers?.length) providers = dto.providers;
  else if (dto.selected_providers?.length) {
    const models = Object.entries(dto.selected_models ?? {});
    providers = dto.selected_providers.map((provider) => {
      const model = models.find(([name]) => name.toLowerCase() === provider.toLowerCase())?.[1];
      if (model !== undefined && typeof model !== 'string')
        throw badRequest('VALIDATION_FAILED', 'selected_models values must be strings', [
          { field: 'selected_models', message: 'values must be model names' },
        ]);
      return { provider, model };
    });
  }
  return {
    message: dto.message,
    conversationId: dto.conversation_id,
    providers,
    temperature: dto.temperature,
    maxTokens: dto.max_tokens,
    folder: dto.folder,
  };
}

export function conversationFilterOf(query: ChatListConversationsQueryDto): ConversationFilter {
  return {
    folder: query.folder,
    tag: query.tag,
    favorite: query.favorite === undefined ? undefined : query.favorite === 'true',
  };
}

export const presentAnswer = (a: ChatAnswer): ChatAnswerDto => ({
  provider: a.provider,
  model: a.model,
  message_id: a.messageId,
  content: a.content,
  tokens_in: a.tokensIn,
  tokens_out: a.tokensOut,
  latency_ms: a.latencyMs,
});

export const presentProviderError = (e: ChatProviderError): ChatProviderErrorDto => ({
  provider: e.provider,
  model: e.model,
  code: e.code,
  message: e.message,
  message_id: e.messageId,
});

export const presentSendResult = (r: SendChatResult): SendChatMessageResponseDto => ({
  conversation_id: r.conversationId,
  title: r.title,
  message_id: r.messageId,
  user_message: r.userMessage,
  ai_responses: r.aiResponses,
  answers: r.answers.map(presentAnswer),
  errors: r.errors.map(presentProviderError),
  response_time: r.responseTime,
  created_at: r.createdAt,
});

const presentSummary = (s: Omit<ConversationSummary, 'preview'>) => ({
  id: s.id,
  title: s.title,
  folder: s.folder,
  is_favorite: s.isFavorite,
  tags: s.tags,
  message_count: s.messageCount,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
});

/** The list metadata in the chat routes' dialect: the page fields as documented, the cursor fields snake_case. */
export const presentPagination = (p: CursorPaginationMetaDto): ChatPaginationDto => ({
  page: p.page,
  limit: p.limit,
  total: p.total,
  pages: p.pages,
  total_is_estimate: p.totalIsEstimate,
  next_cursor: p.nextCursor,
  prev_cursor: p.prevCursor,
});

export const presentConversationPage = (p: ConversationPage): ChatConversationListResponseDto => ({
  conversations: p.conversations.map((c): ChatConversationSummaryDto => ({ ...presentSummary(c), preview: c.preview })),
  pagination: presentPagination(p.pagination),
});

const presentMessage = (m: ChatMessageView): ChatMessageDto => ({
  id: m.id,
  role: m.role,
  content: m.content,
  ai_provider: m.provider,
  model: m.model,
  tokens_in: m.tokensIn,
  tokens_out: m.tokensOut,
  latency_ms: m.latencyMs,
  error: m.error,
  created_at: m.createdAt,
});

export const presentConversationDetail = (d: ConversationDetail): ChatConversationDetailDto => ({
  ...presentSummary(d),
  messages: d.messages.map(presentMessage),
});

export const presentFavorite = (f: { isFavorite: boolean }): FavoriteResponseDto => ({ is_favorite: f.isFavorite });

export const presentSearchPage = (p: ChatSearchPage): ChatSearchResponseDto => ({
  results: p.results.map((h) => ({
    conversation_id: h.conversationId,
    message_id: h.messageId,
    title: h.title,
    snippet: h.snippet,
    rank: h.rank,
    date: h.date,
  })),
  pagination: presentPagination(p.pagination),
});

/** An SSE event's data in the wire dialect: top-level keys in snake_case (the values are flat). */
export function presentStreamData(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]),
  );
}
