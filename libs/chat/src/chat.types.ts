/** The chat feature's vocabulary and internal (camelCase) shapes; the wire DTOs are mapped by chat.presenter.ts. */
import type { CursorPaginationMetaDto } from '@crescendo/platform';

export enum ConversationKind {
  /** Multi-provider chat. */
  Chat = 'chat',
  /** Assistant session: one default provider, a greeting, history as context. */
  Assistant = 'assistant',
}

export enum ChatRole {
  User = 'user',
  Assistant = 'assistant',
  System = 'system',
}

export const DEFAULT_FOLDER = 'Général';
/** A conversation holds at most this many tags. */
export const MAX_TAGS = 20;
/** Providers one message may go to at most. */
export const MAX_PROVIDERS_PER_MESSAGE = 5;

export const exportFormats = ['pdf', 'md', 'txt'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** The owner of a conversation: only they see it. */
export interface ChatOwner {
  workspaceId: string;
  userId: string;
}

export interface ChatProviderChoice {
  provider: string;
  model?: string;
}

/** A message to send to one or more providers. */
export interface SendChatInput {
  message: string;
  conversationId?: string;
  /** Default: the first configured provider. */
  providers?: ChatProviderChoice[];
  temperature?: number;
  maxTokens?: number;
  folder?: string;
}

export interface ChatAnswer {
  provider: string;
  model: string;
  messageId: string;
  content: string;
  tokensIn: number;
  tokensOut: number;
  latencyMs: number;
}

export interface ChatProviderError {
  provider: string;
  model: string;
  code: string;
  message: string;
  messageId: string;
}

export interface SendChatResult {
  conversationId: string;
  title: string;
  messageId: string;
  userMessage: string;
  /** Answer per provider that succeeded (key `provider/model` when a provider was asked twice). */
  aiResponses: Record<string, string>;
  answers: ChatAnswer[];
  errors: ChatProviderError[];
  responseTime: number;
  createdAt: string;
}

export interface ConversationSummary {
  id: string;
  title: string;
  folder: string;
  isFavorite: boolean;
  tags: string[];
  preview: string;
  messageCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface ChatMessageView {
  id: string;
  role: ChatRole;
  content: string;
  provider: string | null;
  model: string | null;
  tokensIn: number | null;
  tokensOut: number | null;
  latencyMs: number | null;
  error: string | null;
  createdAt: string;
}

export interface ConversationDetail extends Omit<ConversationSummary, 'preview'> {
  messages: ChatMessageView[];
}

export interface ConversationPage {
  conversations: ConversationSummary[];
  pagination: CursorPaginationMetaDto;
}

export interface ChatSearchHit {
  conversationId: string;
  /** null when the title matched. */
  messageId: string | null;
  title: string;
  snippet: string;
  rank: number;
  date: string;
}

export interface ChatSearchPage {
  results: ChatSearchHit[];
  pagination: CursorPaginationMetaDto;
}

export interface ConversationFilter {
  folder?: string;
  tag?: string;
  favorite?: boolean;
}
