import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Ip } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiCursorPaginatedResponse,
  ApiErrors,
  Authenticated,
  CurrentPrincipal,
  CursorPaginated,
  Principal,
  Public,
  RateLimit,
} from '@crescendo/platform';
import {
  CreateForumCommentDto,
  CreateForumTopicDto,
  ForumCategoriesResponseDto,
  ForumCommentCreatedDto,
  ForumTopicCreatedDto,
  ForumTopicDetailDto,
  ForumTopicIdParamDto,
  ForumTopicResponseDto,
  ForumTopicsResponseDto,
  ListForumTopicsQueryDto,
  ModerateForumTopicDto,
  ForumCommentIdParamDto,
  UpdateForumTopicDto,
  CreateForumReportDto,
  ForumReportCreatedDto,
  ForumReportDto,
  HandleForumReportDto,
  ListForumReportsQueryDto,
  ForumReportIdParamDto,
} from './forum.dto';
import { ForumService } from './forum.service';

@ApiTags('forum')
@Controller('forum')
export class ForumController {
  constructor(private readonly forum: ForumService) {}

  @Get('categories')
  @Public()
  @ApiOperation({ summary: 'The forum’s categories' })
  @ApiOkResponse({ type: ForumCategoriesResponseDto })
  listForumCategories(): ForumCategoriesResponseDto {
    return this.forum.categories();
  }

  @Get('topics')
  @Public()
  @ApiOperation({
    summary: 'List the forum’s topics (public): pinned first, then newest',
    description:
      'category filters; search is Postgres full-text search over titles and contents. Hidden topics are left out.',
  })
  @ApiOkResponse({ type: ForumTopicsResponseDto })
  @ApiErrors(400)
  listForumTopics(@Query() query: ListForumTopicsQueryDto): Promise<ForumTopicsResponseDto> {
    return this.forum.list(query);
  }

  @Post('topics')
  @Authenticated()
  @RateLimit('forumPost')
  @ApiOperation({
    summary: 'Start a topic (Markdown, rendered and sanitised on the server)',
    description: 'Signed-in members only (403 for API keys); announcements are for moderators (403).',
  })
  @ApiCreatedResponse({ type: ForumTopicCreatedDto })
  @ApiErrors(400, 403)
  createForumTopic(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateForumTopicDto,
  ): Promise<ForumTopicCreatedDto> {
    return this.forum.create(principal, dto);
  }

  @Get('topics/:id')
  @Public()
  @ApiOperation({
    summary: 'A topic with its comments (public); counts a view once per reader per hour',
  })
  @ApiOkResponse({ type: ForumTopicResponseDto })
  @ApiErrors(400, 404)
  getForumTopic(@Param() params: ForumTopicIdParamDto, @Ip() ip: string): Promise<ForumTopicResponseDto> {
    return this.forum.get(params.id, ip);
  }

  @Post('topics/:id/comments')
  @Authenticated()
  @RateLimit('forumPost')
  @ApiOperation({ summary: 'Comment on a topic (Markdown); a locked topic refuses with 409 FORUM_TOPIC_LOCKED' })
  @ApiCreatedResponse({ type: ForumCommentCreatedDto })
  @ApiErrors(400, 403, 404, 409)
  createForumComment(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ForumTopicIdParamDto,
    @Body() dto: CreateForumCommentDto,
  ): Promise<ForumCommentCreatedDto> {
    return this.forum.comment(principal, params.id, dto);
  }

  @Patch('topics/:id/moderation')
  @Authenticated()
  @ApiOperation({ summary: 'Pin, lock or hide a topic (instance moderators: ADMIN_EMAILS)' })
  @ApiOkResponse({ type: ForumTopicDetailDto })
  @ApiErrors(400, 403, 404)
  moderateForumTopic(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ForumTopicIdParamDto,
    @Body() dto: ModerateForumTopicDto,
  ): Promise<ForumTopicDetailDto> {
    return this.forum.moderate(principal, params.id, dto);
  }

  @Patch('topics/:id')
  @Authenticated()
  @ApiOperation({ summary: 'Edit your topic (title, Markdown) within 15 minutes of posting it' })
  @ApiOkResponse({ type: ForumTopicDetailDto })
  @ApiErrors(400, 403, 404)
  updateForumTopic(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ForumTopicIdParamDto,
    @Body() dto: UpdateForumTopicDto,
  ): Promise<ForumTopicDetailDto> {
    return this.forum.edit(principal, params.id, dto);
  }

  @Post('topics/:id/reports')
  @Authenticated()
  @RateLimit('forumPost')
  @ApiOperation({ summary: 'Report a topic, or one of its comments, to the moderators' })
  @ApiCreatedResponse({ type: ForumReportCreatedDto })
  @ApiErrors(400, 403, 404, 429)
  reportForumTopic(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ForumTopicIdParamDto,
    @Body() dto: CreateForumReportDto,
  ): Promise<ForumReportCreatedDto> {
    return this.forum.report(principal, params.id, dto);
  }

  @Get('reports')
  @Authenticated()
  @ApiOperation({ summary: 'Reports to handle, newest first (instance moderators)' })
  @ApiCursorPaginatedResponse(ForumReportDto)
  @ApiErrors(400, 403)
  listForumReports(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListForumReportsQueryDto,
  ): Promise<CursorPaginated<ForumReportDto>> {
    return this.forum.reports(principal, query);
  }

  @Patch('reports/:id')
  @Authenticated()
  @ApiOperation({ summary: 'Resolve or dismiss an open report (instance moderators); 409 once handled' })
  @ApiOkResponse({ type: ForumReportDto })
  @ApiErrors(400, 403, 404, 409)
  handleForumReport(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ForumReportIdParamDto,
    @Body() dto: HandleForumReportDto,
  ): Promise<ForumReportDto> {
    return this.forum.handleReport(principal, params.id, dto);
  }

  @Delete('comments/:id')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a comment (its author, or a moderator)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 403, 404)
  deleteForumComment(@CurrentPrincipal() principal: Principal, @Param() params: ForumCommentIdParamDto): Promise<void> {
    return this.forum.deleteComment(principal, params.id);
  }

  @Delete('topics/:id')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a topic with its comments (its author, or a moderator)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 403, 404)
  deleteForumTopic(@CurrentPrincipal() principal: Principal, @Param() params: ForumTopicIdParamDto): Promise<void> {
    return this.forum.delete(principal, params.id);
  }
}
