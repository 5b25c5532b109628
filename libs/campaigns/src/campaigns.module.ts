import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@crescendo/audit';
import { IdentityModule } from '@crescendo/identity';
import { LeadsModule } from '@crescendo/leads';
import { SegmentsModule } from '@crescendo/segments';
import { CampaignLeadEntity } from './campaign-lead.entity';
import { CampaignLeadsController } from './campaign-leads.controller';
import { CampaignLeadsRepository } from './campaign-leads.repository';
import { CampaignLeadsService } from './campaign-leads.service';
import { CampaignEntity } from './campaign.entity';
import { CampaignStatsService } from './campaign-stats.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignsRepository } from './campaigns.repository';
import { CampaignsService } from './campaigns.service';
import { ContentCreationController } from './content-creation.controller';
import { ContentCreationService } from './content-creation.service';
import { ScheduledPostEntity } from './scheduled-post.entity';
import { ScheduledPostsRepository } from './scheduled-posts.repository';
import { CampaignsPersonalData } from './campaigns-personal-data.provider';

/** Campaigns with lead enrollment, and the content-creation routes (content campaigns and the posting schedule). */
@Module({
  imports: [
    TypeOrmModule.forFeature([CampaignEntity, CampaignLeadEntity, ScheduledPostEntity]),
    AuditModule,
    LeadsModule,
    // Target segments and owners are checked by their owners.
    SegmentsModule,
    IdentityModule,
  ],
  controllers: [CampaignsController, CampaignLeadsController, ContentCreationController],
  providers: [
    CampaignsPersonalData,
    CampaignsService,
    CampaignLeadsService,
    ContentCreationService,
    CampaignStatsService,
    CampaignsRepository,
    CampaignLeadsRepository,
    ScheduledPostsRepository,
  ],
  exports: [CampaignsService, CampaignLeadsService, CampaignStatsService],
})
export class CampaignsModule {}
