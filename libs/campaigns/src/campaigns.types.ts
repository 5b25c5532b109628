/** Campaign enums and value types, shared with other features through the barrel. */

export enum CampaignType {
  Email = 'email',
  Social = 'social',
  Content = 'content',
  Outreach = 'outreach',
}
export const campaignTypes = Object.values(CampaignType);

export enum CampaignStatus {
  Draft = 'draft',
  Scheduled = 'scheduled',
  Active = 'active',
  Paused = 'paused',
  Completed = 'completed',
  Archived = 'archived',
}
export const campaignStatuses = Object.values(CampaignStatus);

export interface CampaignGoals {
  targetLeads?: number;
  targetConversions?: number;
  /** Minor units of the campaign's currency. */
  targetRevenue?: number;
}

/** Funnel stages, in order: a lead only moves forward. */
export enum CampaignLeadStage {
  Enrolled = 'enrolled',
  Contacted = 'contacted',
  Replied = 'replied',
  Converted = 'converted',
}
export const campaignLeadStages = Object.values(CampaignLeadStage);

export const postPlatforms = [
  'instagram',
  'tiktok',
  'x',
  'youtube',
  'onlyfans',
  'facebook',
  'linkedin',
  'threads',
  'snapchat',
  'pinterest',
  'fansly',
] as const;
export type PostPlatform = (typeof postPlatforms)[number];

export enum ScheduledPostStatus {
  Scheduled = 'scheduled',
  Published = 'published',
  Failed = 'failed',
  Cancelled = 'cancelled',
}
export const scheduledPostStatuses = Object.values(ScheduledPostStatus);
