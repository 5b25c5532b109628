import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@crescendo/audit';
import { CampaignLeadEntity } from './campaign-lead.entity';
import { CampaignLeadsController } from './campaign-leads.controller';
import { CampaignLeadsService } from './campaign-leads.service';
import { CampaignEntity } from './campaign.entity';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';
import { ContentCreationController } from './content-creation.controller';
import { ContentCreationService } from './content-creation.service';
import { ScheduledPostEntity } from './scheduled-post.entity';
import { CampaignsPersonalData } from './campaigns-personal-data.provider';

/** Campaigns (seed 004) with lead enrollment, and seed 001's content-creation campaigns and schedule. */
@Module({
  imports: [TypeOrmModule.forFeature([CampaignEntity, CampaignLeadEntity, ScheduledPostEntity]), AuditModule],
  controllers: [CampaignsController, CampaignLeadsController, ContentCreationController],
  providers: [CampaignsPersonalData, CampaignsService, CampaignLeadsService, ContentCreationService],
  exports: [CampaignsService, CampaignLeadsService],
})
export class CampaignsModule {}
