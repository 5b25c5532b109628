import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  ApiErrors,
  clientGoneSignal,
  CurrentPrincipal,
  Permission,
  Principal,
  RateLimit,
  RequirePermissions,
} from '@crescendo/platform';
import {
  CreateSessionResponseDto,
  SessionHistoryQueryDto,
  SessionHistoryResponseDto,
  SessionMessageDto,
  SessionMessageResponseDto,
  SessionParamDto,
  SessionsResponseDto,
} from './assistant.dto';
import { AssistantService } from './assistant.service';

/** Assistant sessions (camelCase fields). */
@ApiTags('chat')
@Controller('chat')
@RequirePermissions(Permission.ChatUse)
export class AssistantController {
  constructor(private readonly assistant: AssistantService) {}

  @Post('create-session')
  @ApiOperation({ summary: 'Start an assistant session; its greeting is stored as the first message' })
  @ApiCreatedResponse({ type: CreateSessionResponseDto })
  @ApiErrors()
  createChatSession(@CurrentPrincipal() principal: Principal): Promise<CreateSessionResponseDto> {
    return this.assistant.createSession(principal);
  }

  @Post('message')
  @HttpCode(200)
  @RateLimit('ai')
  @ApiOperation({
    summary: 'Ask the assistant in a session; the session’s history is sent as context',
    description: 'AI failures answer 502/503/504 (the user message stays in the history). A closed session reopens.',
  })
  @ApiOkResponse({ type: SessionMessageResponseDto })
  @ApiErrors(400, 404, 502, 503, 504)
  sendSessionMessage(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: SessionMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionMessageResponseDto> {
    return this.assistant.message(principal, dto, clientGoneSignal(reply));
  }

  @Get('history')
  @ApiOperation({ summary: 'The messages of an assistant session, oldest first' })
  @ApiOkResponse({ type: SessionHistoryResponseDto })
  @ApiErrors(400, 404)
  getSessionHistory(
    @CurrentPrincipal() principal: Principal,
    @Query() query: SessionHistoryQueryDto,
  ): Promise<SessionHistoryResponseDto> {
    return this.assistant.history(principal, query.sessionId);
  }

  @Get('sessions')
  @ApiOperation({
    summary: 'The caller’s assistant sessions, most recent first, with message counts',
    description: 'isActive: not closed and a message within the last 30 minutes.',
  })
  @ApiOkResponse({ type: SessionsResponseDto })
  @ApiErrors()
  listChatSessions(@CurrentPrincipal() principal: Principal): Promise<SessionsResponseDto> {
    return this.assistant.sessions(principal);
  }

  @Post('sessions/:id/close')
  @HttpCode(204)
  @ApiOperation({ summary: 'Close an assistant session (no longer active; a new message reopens it). No body.' })
  @ApiNoContentResponse({ description: 'Closed' })
  @ApiErrors(400, 404)
  closeChatSession(@CurrentPrincipal() principal: Principal, @Param() params: SessionParamDto): Promise<void> {
    return this.assistant.close(principal, params.id);
  }
}
