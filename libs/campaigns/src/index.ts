export * from './campaigns.types';
export * from './campaign-status';
export * from './campaigns.module';
export { CampaignsService } from './campaigns.service';
export { CampaignLeadsService } from './campaign-leads.service';
export * from './campaigns.dto';
export * from './campaign-leads.dto';
export * from './content-creation.dto';
export * from './campaign-stats.service';
