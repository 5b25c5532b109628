import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  ApiErrors,
  clientGoneSignal,
  CurrentPrincipal,
  IdParamDto,
  Permission,
  Principal,
  RateLimit,
  RequirePermissions,
} from '@crescendo/platform';
import {
  AbortStreamResponseDto,
  AddTagDto,
  ChatSearchResponseDto,
  ChatConversationDetailDto,
  ChatConversationListResponseDto,
  DeletedResponseDto,
  ExportConversationQueryDto,
  FavoriteResponseDto,
  FoldersResponseDto,
  RenameConversationDto,
  ChatListConversationsQueryDto,
  ResumeStreamQueryDto,
  SearchChatQueryDto,
  SendChatMessageDto,
  SendChatMessageResponseDto,
  StreamParamDto,
  TagParamsDto,
  TagsResponseDto,
} from './chat.dto';
import { ChatExportService } from './chat-export.service';
import { ChatSearchService } from './chat-search.service';
import { ChatSendService } from './chat-send.service';
import { ChatStreamService } from './chat-stream.service';
import {
  conversationFilterOf,
  presentConversationDetail,
  presentConversationPage,
  presentFavorite,
  presentSearchPage,
  presentSendResult,
  sendInputOf,
} from './chat.presenter';
import { ConversationService } from './conversation.service';
import { openSse } from './sse';

const SSE_DESCRIPTION =
  'text/event-stream. Each event has `id: <index>` (0, 1, …), a name and JSON data (with its `index`): ' +
  '`stream` first {stream_id, conversation_id, user_message_id, providers}; `delta` {provider, model, content} ' +
  'as tokens arrive (in order per provider); per provider `done` {provider, model, message_id, tokens_in, ' +
  'tokens_out, latency_ms} or `error` {provider, model, code, message, message_id}; last `end` ' +
  '{conversation_id, title, user_message_id, message_ids, failed, aborted}.';

/**
 * Multi-provider chat, conversations, search, export, in the snake_case of their documented API (chat.presenter.ts
 * translates). Static routes before `conversations/:id`.
 */
@ApiTags('chat')
@Controller('chat')
@RequirePermissions(Permission.ChatUse)
export class ChatController {
  constructor(
    private readonly sender: ChatSendService,
    private readonly streams: ChatStreamService,
    private readonly conversations: ConversationService,
    private readonly search: ChatSearchService,
    private readonly exports: ChatExportService,
  ) {}

  @Post('send')
  @HttpCode(200)
  @RateLimit('ai')
  @ApiOperation({
    summary: 'Send one message to one or more AI providers in parallel; answers and per-provider errors',
    description:
      'Providers: `providers` [{provider, model?}] or `selected_providers` + `selected_models`; default the ' +
      'first configured. Without conversation_id a conversation is created and titled by the AI from the message ' +
      '(first words if that fails). The conversation’s earlier user messages and each provider’s own earlier answers ' +
      'are sent as context. A provider that fails is an entry of `errors` (its failed answer is stored with the ' +
      'error code); the answer is 200 even when every provider failed (answers empty): the user message is kept, ' +
      'retry with the conversation_id. 400 for an unknown provider/model, 503 when no provider is configured.',
  })
  @ApiOkResponse({ type: SendChatMessageResponseDto })
  @ApiErrors(400, 404, 503)
  sendChatMessage(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: SendChatMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SendChatMessageResponseDto> {
    return this.sender.send(principal, sendInputOf(dto), clientGoneSignal(reply)).then(presentSendResult);
  }

  @Post('send/stream')
  @RateLimit('ai')
  @ApiOperation({
    summary: 'Same as POST /api/chat/send, streamed as Server-Sent Events per provider',
    description:
      `${SSE_DESCRIPTION} A client that drops resumes with GET /api/chat/streams/:id?after=<last index>; ` +
      'without a resume within CHAT_STREAM_RESUME_SECONDS (default 30) the provider calls are aborted. ' +
      'Errors before the stream starts (400, 404, 503) are ordinary JSON answers.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream (see description)', schema: { type: 'string' } })
  @ApiErrors(400, 404, 503)
  async streamChatMessage(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: SendChatMessageDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.streams.start(principal, sendInputOf(dto), () => openSse(reply));
  }

  @Get('streams/:id')
  @ApiOperation({
    summary: 'Resume a chat stream: replay the events after `after`, then follow it to its end (any replica)',
    description: `${SSE_DESCRIPTION} Streams are kept 10 minutes; another user's stream is a 404.`,
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream (see description)', schema: { type: 'string' } })
  @ApiErrors(400, 404)
  async resumeChatStream(
    @CurrentPrincipal() principal: Principal,
    @Param() params: StreamParamDto,
    @Query() query: ResumeStreamQueryDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.streams.follow(principal, params.id, query.after, () => openSse(reply));
  }

  @Delete('streams/:id')
  @ApiOperation({
    summary: 'Abort a running chat stream: its provider calls are cancelled (on whichever replica runs it)',
    description:
      'Each unfinished provider ends with an `error` event AI_REQUEST_ABORTED, then `end`. ' +
      '`aborted: false` when the stream had already ended.',
  })
  @ApiOkResponse({ type: AbortStreamResponseDto })
  @ApiErrors(400, 404)
  async abortChatStream(
    @CurrentPrincipal() principal: Principal,
    @Param() params: StreamParamDto,
  ): Promise<AbortStreamResponseDto> {
    return { stream_id: params.id, aborted: await this.streams.abort(principal, params.id) };
  }

  @Get('conversations')
  @ApiOperation({
    summary: 'The caller’s conversations, most recently active first, with a preview of the last message',
    description:
      'Filters: folder, tag, favorite. Paged with page/limit (default 20, max 100), or by cursor: pass ' +
      'pagination.next_cursor (or prev_cursor) as `cursor`; the same cost at any depth.',
  })
  @ApiOkResponse({ type: ChatConversationListResponseDto })
  @ApiErrors(400)
  listChatConversations(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ChatListConversationsQueryDto,
  ): Promise<ChatConversationListResponseDto> {
    return this.conversations.list(principal, conversationFilterOf(query), query).then(presentConversationPage);
  }

  @Get('folders')
  @ApiOperation({ summary: 'The caller’s conversation folders with their conversation counts' })
  @ApiOkResponse({ type: FoldersResponseDto })
  @ApiErrors()
  listChatFolders(@CurrentPrincipal() principal: Principal): Promise<FoldersResponseDto> {
    return this.conversations.folders(principal);
  }

  @Get('search')
  @ApiOperation({
    summary: 'Full-text search of the caller’s messages and conversation titles, best match first',
    description:
      'Web-search syntax ("phrase", or, -word); accents and case are ignored (fenetre finds fenêtre). Snippets ' +
      'mark matched words with <mark>…</mark>. Paged with page/limit.',
  })
  @ApiOkResponse({ type: ChatSearchResponseDto })
  @ApiErrors(400)
  searchChat(
    @CurrentPrincipal() principal: Principal,
    @Query() query: SearchChatQueryDto,
  ): Promise<ChatSearchResponseDto> {
    return this.search.find(principal, query).then(presentSearchPage);
  }

  @Get('conversations/:id')
  @ApiOperation({ summary: 'A conversation with its messages, oldest first (failed answers carry `error`)' })
  @ApiOkResponse({ type: ChatConversationDetailDto })
  @ApiErrors(400, 404)
  getChatConversation(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
  ): Promise<ChatConversationDetailDto> {
    return this.conversations.get(principal, params.id).then(presentConversationDetail);
  }

  @Patch('conversations/:id')
  @ApiOperation({ summary: 'Rename a conversation; answers the conversation with its messages' })
  @ApiOkResponse({ type: ChatConversationDetailDto })
  @ApiErrors(400, 404)
  renameChatConversation(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: RenameConversationDto,
  ): Promise<ChatConversationDetailDto> {
    return this.conversations.rename(principal, params.id, dto.title).then(presentConversationDetail);
  }

  @Delete('conversations/:id')
  @ApiOperation({ summary: 'Delete a conversation and its messages' })
  @ApiOkResponse({ type: DeletedResponseDto })
  @ApiErrors(400, 404)
  deleteChatConversation(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
  ): Promise<DeletedResponseDto> {
    return this.conversations.remove(principal, params.id);
  }

  @Post('conversations/:id/favorite')
  @HttpCode(200)
  @ApiOperation({ summary: 'Toggle a conversation’s favourite flag; answers the new value' })
  @ApiOkResponse({ type: FavoriteResponseDto })
  @ApiErrors(400, 404)
  toggleChatConversationFavorite(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
  ): Promise<FavoriteResponseDto> {
    return this.conversations.toggleFavorite(principal, params.id).then(presentFavorite);
  }

  @Get('conversations/:id/export')
  @ApiOperation({
    summary: 'Download a conversation as PDF (DejaVu Sans: accents, Greek, Cyrillic), Markdown or plain text',
    description: 'Content-Disposition: attachment; filename="<slugified title>-<YYYY-MM-DD>.<format>".',
  })
  @ApiProduces('application/pdf', 'text/markdown', 'text/plain')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string', format: 'binary' } })
  @ApiErrors(400, 404)
  async exportChatConversation(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Query() query: ExportConversationQueryDto,
  ): Promise<StreamableFile> {
    const file = await this.exports.export(principal, params.id, query.format);
    return new StreamableFile(file.stream, {
      type: file.contentType,
      disposition: `attachment; filename="${file.fileName}"`,
    });
  }

  @Post('conversations/:id/tags')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Add a tag to a conversation (trimmed, lower-cased, no duplicates; at most 20)',
    description: '400 CONVERSATION_TAGS_LIMIT past 20 tags. Adding a tag it already has changes nothing.',
  })
  @ApiOkResponse({ type: TagsResponseDto })
  @ApiErrors(400, 404)
  addChatConversationTag(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: AddTagDto,
  ): Promise<TagsResponseDto> {
    return this.conversations.addTag(principal, params.id, dto.tag);
  }

  @Delete('conversations/:id/tags/:tag')
  @ApiOperation({ summary: 'Remove a tag from a conversation (case-insensitive); answers the remaining tags' })
  @ApiOkResponse({ type: TagsResponseDto })
  @ApiErrors(400, 404)
  removeChatConversationTag(
    @CurrentPrincipal() principal: Principal,
    @Param() params: TagParamsDto,
  ): Promise<TagsResponseDto> {
    return this.conversations.removeTag(principal, params.id, params.tag);
  }
}
