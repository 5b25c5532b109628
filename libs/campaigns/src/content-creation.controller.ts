import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors, CurrentPrincipal, Permission, Principal, RequirePermissions } from '@crescendo/platform';
import { CreateContentCampaignDto } from './campaigns.dto';
import {
  ContentCampaignListResponseDto,
  ContentCampaignResponseDto,
  CreateScheduledPostDto,
  ListContentCampaignsQueryDto,
  ListScheduledPostsQueryDto,
  ResponseMetaDto,
  ScheduledPostCreatedResponseDto,
  ScheduledPostListResponseDto,
} from './content-creation.dto';
import { ContentCreationService } from './content-creation.service';

/** The content-creation envelope: `{ success, data, meta: { requestId, timestamp, duration } }`. */
function envelope<T>(
  data: T,
  request: FastifyRequest,
  reply: FastifyReply,
): { success: true; data: T; meta: ResponseMetaDto } {
  return {
    success: true,
    data,
    meta: {
      requestId: String(request.id),
      timestamp: new Date().toISOString(),
      duration: Math.round(reply.elapsedTime * 100) / 100,
    },
  };
}

@ApiTags('content-creation')
@Controller('content-creation')
export class ContentCreationController {
  constructor(private readonly content: ContentCreationService) {}

  @Get('campaigns')
  @RequirePermissions(Permission.CampaignsRead)
  @ApiOperation({
    summary: 'Content campaigns (campaigns of type content), newest first, in the content-creation envelope',
  })
  @ApiOkResponse({ type: ContentCampaignListResponseDto })
  @ApiErrors(400)
  async listContentCampaigns(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListContentCampaignsQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ContentCampaignListResponseDto> {
    const page = await this.content.listCampaigns(principal.workspaceId, query);
    return envelope({ campaigns: page.data, pagination: page.pagination }, request, reply);
  }

  @Post('campaigns')
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({
    summary: 'Create a content campaign (same rules as POST /api/campaigns, type content)',
    description: 'Foreign targetNicheIds, targetSegmentIds or ownerId: 404 as on POST /api/campaigns.',
  })
  @ApiCreatedResponse({ type: ContentCampaignResponseDto })
  @ApiErrors(400, 404, 409)
  async createContentCampaign(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateContentCampaignDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ContentCampaignResponseDto> {
    return envelope({ campaign: await this.content.createCampaign(principal, dto) }, request, reply);
  }

  @Get('schedule')
  @RequirePermissions(Permission.ContentRead)
  @ApiOperation({ summary: 'Scheduled posts by publishing time; filter by period, platform, status, campaign' })
  @ApiOkResponse({ type: ScheduledPostListResponseDto })
  @ApiErrors(400)
  async listScheduledPosts(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListScheduledPostsQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduledPostListResponseDto> {
    const page = await this.content.listPosts(principal.workspaceId, query);
    return envelope({ posts: page.data, pagination: page.pagination }, request, reply);
  }

  @Post('schedule')
  @RequirePermissions(Permission.ContentWrite)
  @ApiOperation({
    summary: 'Schedule a post',
    description:
      '400 PUBLISH_AT_IN_PAST unless publishAt is in the future; 404 CAMPAIGN_NOT_FOUND for a foreign campaign.',
  })
  @ApiCreatedResponse({ type: ScheduledPostCreatedResponseDto })
  @ApiErrors(400, 404)
  async createScheduledPost(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateScheduledPostDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ScheduledPostCreatedResponseDto> {
    return envelope({ post: await this.content.createPost(principal, dto) }, request, reply);
  }
}
