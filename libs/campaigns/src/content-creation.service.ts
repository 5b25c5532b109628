import { Injectable } from '@nestjs/common';
import { badRequest, CursorCodec, CursorPaginated, Principal, referenceNotFound } from '@crescendo/platform';
import { CampaignResponseDto, ListCampaignsQueryDto } from './campaigns.dto';
import { CampaignsService } from './campaigns.service';
import {
  CreateScheduledPostDto,
  ListContentCampaignsQueryDto,
  ListScheduledPostsQueryDto,
  ScheduledPostResponseDto,
} from './content-creation.dto';
import { CreateContentCampaignDto } from './campaigns.dto';
import type { ScheduledPostEntity } from './scheduled-post.entity';
import { ScheduledPostsRepository } from './scheduled-posts.repository';
import { CampaignType, ScheduledPostStatus } from './campaigns.types';

/** The content-creation routes: content campaigns (the campaigns table) and the posting schedule. */
@Injectable()
export class ContentCreationService {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly cursors: CursorCodec,
    private readonly posts: ScheduledPostsRepository,
  ) {}

  listCampaigns(
    workspaceId: string,
    query: ListContentCampaignsQueryDto,
  ): Promise<CursorPaginated<CampaignResponseDto>> {
    return this.campaigns.list(
      workspaceId,
      Object.assign(new ListCampaignsQueryDto(), query, { type: CampaignType.Content }),
    );
  }

  createCampaign(principal: Principal, dto: CreateContentCampaignDto): Promise<CampaignResponseDto> {
    return this.campaigns.create(principal, { ...dto, type: CampaignType.Content });
  }

  /** By publishing time, soonest first; by cursor or page number, with a bounded total. */
  async listPosts(
    workspaceId: string,
    query: ListScheduledPostsQueryDto,
  ): Promise<CursorPaginated<ScheduledPostResponseDto>> {
    const { page: _page, limit: _limit, cursor: _cursor, ...filters } = query;
    const page = await this.posts.list(workspaceId, filters, {
      codec: this.cursors,
      scope: `${workspaceId}:scheduled-posts:publishAt:asc`,
      request: query,
    });
    return { data: page.data.map(toScheduledPostResponse), pagination: page.pagination };
  }

  async createPost(principal: Principal, dto: CreateScheduledPostDto): Promise<ScheduledPostResponseDto> {
    const publishAt = new Date(dto.publishAt);
    if (publishAt.getTime() <= Date.now()) {
      throw badRequest('PUBLISH_AT_IN_PAST', 'A new post must be scheduled in the future', [
        { field: 'publishAt', message: 'must be in the future' },
      ]);
    }
    if (dto.campaignId && (await this.campaigns.missingIds(principal.workspaceId, [dto.campaignId])).length)
      throw referenceNotFound('CAMPAIGN_NOT_FOUND', 'campaignId', 'campaign', [dto.campaignId]);
    const post = await this.posts.insert({
      workspaceId: principal.workspaceId,
      campaignId: dto.campaignId ?? null,
      platform: dto.platform,
      caption: dto.caption,
      mediaUrls: dto.mediaUrls ?? [],
      publishAt,
      status: ScheduledPostStatus.Scheduled,
      createdById: principal.userId || null,
    });
    return toScheduledPostResponse(post);
  }
}

function toScheduledPostResponse(p: ScheduledPostEntity): ScheduledPostResponseDto {
  return {
    id: p.id,
    platform: p.platform,
    caption: p.caption,
    mediaUrls: p.mediaUrls,
    publishAt: p.publishAt.toISOString(),
    status: p.status,
    campaignId: p.campaignId,
    createdById: p.createdById,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
