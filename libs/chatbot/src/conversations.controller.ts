import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrors,
  CurrentPrincipal,
  IdParamDto,
  CursorPageSizeQueryDto,
  Permission,
  Principal,
  RequirePermissions,
} from '@crescendo/platform';
import {
  ConversationDetailResponseDto,
  ConversationListResponseDto,
  ConversationResponseDto,
  ListConversationsQueryDto,
  PostMessageDto,
  PostMessageResponseDto,
  UpdateConversationDto,
} from './conversations.dto';
import { ConversationsService } from './conversations.service';

// The documented `{success, data, metadata}` envelope. Fans are the subscribers' people: leads:* like subscribers.
@ApiTags('chatbot')
@Controller('chatbot/conversations')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Get()
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    summary: 'The fan inbox: conversations, most recent message first, each with its last message preview',
  })
  @ApiOkResponse({ type: ConversationListResponseDto })
  @ApiErrors(400)
  listConversations(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListConversationsQueryDto,
  ): Promise<ConversationListResponseDto> {
    return this.conversations.list(principal.workspaceId, query);
  }

  @Post()
  @HttpCode(201)
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({
    summary:
      'Post a message: to conversationId, or to the fan’s conversation (platform + fanHandle), started on first contact',
    description:
      'Every call stores one message (201). With conversationId, platform/fanHandle are optional and must match ' +
      '(400 CONVERSATION_FAN_MISMATCH); without it both are required and find the fan’s only conversation or ' +
      'create it (conversationCreated). The conversation links to the subscriber with the same platform + handle. ' +
      'An inbound message (from the fan) adds to unreadCount, reopens a closed conversation, then runs the ' +
      'auto-reply rules in the same request: `autoReply` says which rule answered (and its stored reply) or ' +
      'why none did. An outbound message (from the caller) resets unreadCount and never triggers rules.',
  })
  @ApiCreatedResponse({ type: PostMessageResponseDto })
  @ApiErrors(400, 404)
  postConversationMessage(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: PostMessageDto,
  ): Promise<PostMessageResponseDto> {
    return this.conversations.post(principal, dto);
  }

  @Get(':id')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({ summary: 'One conversation with a page of its messages, newest first' })
  @ApiOkResponse({ type: ConversationDetailResponseDto })
  @ApiErrors(400, 404)
  getConversation(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Query() query: CursorPageSizeQueryDto,
  ): Promise<ConversationDetailResponseDto> {
    return this.conversations.get(principal.workspaceId, params.id, query);
  }

  @Put(':id')
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({ summary: 'Close or reopen a conversation; `read: true` resets its unread count' })
  @ApiOkResponse({ type: ConversationResponseDto })
  @ApiErrors(400, 404)
  updateConversation(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: UpdateConversationDto,
  ): Promise<ConversationResponseDto> {
    return this.conversations.update(principal.workspaceId, params.id, dto);
  }
}
