import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { assertInWorkspace, badRequest, paginate, Paginated, Principal, queryPage } from '@crescendo/platform';
import { CampaignType } from './campaign.entity';
import { CampaignResponseDto, ListCampaignsQueryDto } from './campaigns.dto';
import { CampaignsService } from './campaigns.service';
import {
  CreateScheduledPostDto,
  ListContentCampaignsQueryDto,
  ListScheduledPostsQueryDto,
  ScheduledPostResponseDto,
} from './content-creation.dto';
import { CreateContentCampaignDto } from './campaigns.dto';
import { ScheduledPostEntity, ScheduledPostStatus } from './scheduled-post.entity';

/** Seed 001's content-creation routes: content campaigns (the campaigns table) and the posting schedule. */
@Injectable()
export class ContentCreationService {
  constructor(
    private readonly campaigns: CampaignsService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(ScheduledPostEntity) private readonly posts: Repository<ScheduledPostEntity>,
  ) {}

  listCampaigns(workspaceId: string, query: ListContentCampaignsQueryDto): Promise<Paginated<CampaignResponseDto>> {
    return this.campaigns.list(
      workspaceId,
      Object.assign(new ListCampaignsQueryDto(), query, { type: CampaignType.Content }),
    );
  }

  createCampaign(principal: Principal, dto: CreateContentCampaignDto): Promise<CampaignResponseDto> {
    return this.campaigns.create(principal, { ...dto, type: CampaignType.Content });
  }

  async listPosts(
    workspaceId: string,
    query: ListScheduledPostsQueryDto,
  ): Promise<Paginated<ScheduledPostResponseDto>> {
    const qb = this.posts.createQueryBuilder('p').where('p.workspaceId = :workspaceId', { workspaceId });
    if (query.from) qb.andWhere('p.publishAt >= :from', { from: new Date(query.from) });
    if (query.to) qb.andWhere('p.publishAt < :to', { to: new Date(query.to) });
    if (query.platform) qb.andWhere('p.platform = :platform', { platform: query.platform });
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    if (query.campaignId) qb.andWhere('p.campaignId = :campaignId', { campaignId: query.campaignId });
    qb.orderBy('p.publishAt', 'ASC').addOrderBy('p.id', 'ASC');
    const [rows, total] = await queryPage(qb, query);
    return paginate(rows.map(toScheduledPostResponse), total, query);
  }

  async createPost(principal: Principal, dto: CreateScheduledPostDto): Promise<ScheduledPostResponseDto> {
    const publishAt = new Date(dto.publishAt);
    if (publishAt.getTime() <= Date.now()) {
      throw badRequest('PUBLISH_AT_IN_PAST', 'A new post must be scheduled in the future', [
        { field: 'publishAt', message: 'must be in the future' },
      ]);
    }
    await assertInWorkspace(this.dataSource.manager, principal.workspaceId, {
      table: 'campaigns',
      ids: dto.campaignId ? [dto.campaignId] : [],
      field: 'campaignId',
      code: 'CAMPAIGN_NOT_FOUND',
      noun: 'campaign',
    });
    const post = await this.posts.save(
      this.posts.create({
        workspaceId: principal.workspaceId,
        campaignId: dto.campaignId ?? null,
        platform: dto.platform,
        caption: dto.caption,
        mediaUrls: dto.mediaUrls ?? [],
        publishAt,
        status: ScheduledPostStatus.Scheduled,
        createdById: principal.userId || null,
      }),
    );
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
