import {
  addChatConversationTag,
  createAgent,
  getAgent,
  listAgents,
  listLogsOfAgent,
  restartAgent,
  runAgent,
  updateAgent,
  updateAgentStatus,
  createAutoReplyRule,
  deleteAutoReplyRule,
  deleteChatConversation,
  exportChatConversation,
  generateContentIdeas,
  getChatConversation,
  getConversation,
  listAiProviders,
  getAiUsage,
  type GetAiUsageData,
  listAutoReplyRules,
  listChatConversations,
  listChatFolders,
  listConversations,
  postConversationMessage,
  updateConversation,
  removeChatConversationTag,
  renameChatConversation,
  searchChat,
  streamChatMessage,
  toggleChatConversationFavorite,
  updateAutoReplyRule,
  type CreateAgentDto,
  type CreateAutoReplyRuleDto,
  type GenerateContentIdeasDto,
  type JobAcceptedResponseDto,
  type ListChatConversationsData,
  type PostMessageDto,
  type UpdateConversationDto,
  type SendChatMessageDto,
  type UpdateAutoReplyRuleDto,
} from '@crescendo/api-client';
// Configures the generated client instance the sdk functions use (base URL, token, refresh on 401).
import './client';
import { ApiError, unwrap } from './errors';

/** Sent without `Prefer: respond-async`, an AI tool answers its 200 body, never a job (202). */
function synchronous<T extends object>(answer: T | JobAcceptedResponseDto): T {
  if ('jobId' in answer) throw new ApiError(202, { message: 'The server queued a job instead of answering' });
  return answer;
}

/** The AI pages' calls, each through its generated sdk function (see endpoints.ts for the rest). */
export const aiApi = {
  // --- AI layer ---
  listProviders: async () => (await unwrap(listAiProviders())).data,
  usage: (query: NonNullable<GetAiUsageData['query']>) => unwrap(getAiUsage({ query })),

  // --- multi-model chat ---
  listChats: (query: NonNullable<ListChatConversationsData['query']>) =>
    unwrap(listChatConversations({ query: { limit: 50, ...query } })),
  getChat: (id: string) => unwrap(getChatConversation({ path: { id } })),
  deleteChat: (id: string) => unwrap(deleteChatConversation({ path: { id } })),
  renameChat: (id: string, title: string) => unwrap(renameChatConversation({ path: { id }, body: { title } })),
  listFolders: async () => (await unwrap(listChatFolders())).folders,
  searchChats: (q: string) => unwrap(searchChat({ query: { q, limit: 20 } })),
  toggleFavorite: (id: string) => unwrap(toggleChatConversationFavorite({ path: { id } })),
  addTag: (id: string, tag: string) => unwrap(addChatConversationTag({ path: { id }, body: { tag } })),
  removeTag: (id: string, tag: string) => unwrap(removeChatConversationTag({ path: { id, tag } })),
  exportChat: async (id: string, format: 'pdf' | 'md' | 'txt') => {
    const result = await exportChatConversation({ path: { id }, query: { format }, parseAs: 'blob' });
    const blob = await unwrap(Promise.resolve(result));
    const disposition = result.response?.headers.get('Content-Disposition') ?? '';
    const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `conversation.${format}`;
    return { blob: blob as unknown as Blob, fileName };
  },
  /** POST /api/chat/send/stream: the SSE body, read through fetch (EventSource cannot send the bearer). */
  streamChat: async (body: SendChatMessageDto, signal: AbortSignal) => {
    const stream = await unwrap(streamChatMessage({ body, parseAs: 'stream', signal }));
    if (!stream) throw new ApiError(0, { message: 'The stream did not open' });
    return stream as unknown as ReadableStream<Uint8Array>;
  },

  // --- agents ---
  listAgents: async () => (await unwrap(listAgents({ query: { limit: 100 } }))).data,
  getAgent: (id: string) => unwrap(getAgent({ path: { id } })),
  createAgent: (body: CreateAgentDto) => unwrap(createAgent({ body })),
  updateAgent: (id: string, body: Partial<CreateAgentDto>) => unwrap(updateAgent({ path: { id }, body })),
  setAgentStatus: (id: string, status: 'active' | 'inactive') =>
    unwrap(updateAgentStatus({ path: { id }, body: { status } })),
  restartAgent: (id: string) => unwrap(restartAgent({ path: { id } })),
  runAgent: (id: string) => unwrap(runAgent({ path: { id } })),
  agentLogs: async (id: string) => (await unwrap(listLogsOfAgent({ path: { id }, query: { limit: 50 } }))).data,

  // --- AI tools ---
  generateContentIdeas: async (body: GenerateContentIdeasDto) =>
    synchronous(await unwrap(generateContentIdeas({ body }))),

  // --- chatbot: auto-reply rules and the fan inbox ---
  listRules: () => unwrap(listAutoReplyRules({ query: { pageSize: 100 } })),
  createRule: async (body: CreateAutoReplyRuleDto) => (await unwrap(createAutoReplyRule({ body }))).data,
  updateRule: async (id: string, body: UpdateAutoReplyRuleDto) =>
    (await unwrap(updateAutoReplyRule({ path: { id }, body }))).data,
  deleteRule: (id: string) => unwrap(deleteAutoReplyRule({ path: { id } })),
  listInbox: (search: string) => unwrap(listConversations({ query: { pageSize: 50, ...(search ? { search } : {}) } })),
  getInboxConversation: async (id: string) =>
    (await unwrap(getConversation({ path: { id }, query: { pageSize: 100 } }))).data,
  updateInboxConversation: (id: string, body: UpdateConversationDto) =>
    unwrap(updateConversation({ path: { id }, body })),
  postInboxMessage: async (body: PostMessageDto) => (await unwrap(postConversationMessage({ body }))).data,
};

export interface StreamEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Splits an SSE body into events (`event:` name, JSON `data:`), as they arrive. */
export async function* readSse(stream: ReadableStream<Uint8Array>): AsyncGenerator<StreamEvent> {
  const reader = stream
    .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
    .getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length === 0) continue;
      try {
        yield { event, data: JSON.parse(data.join('\n')) as Record<string, unknown> };
      } catch {
        // a comment or keep-alive line without JSON: nothing to show
      }
    }
  }
}
