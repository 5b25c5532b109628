import type { CampaignStatus } from './campaigns.types';

/** The campaigns' domain events (a conversion also publishes the leads' lead.status_changed). */
export const CampaignsEvents = { CampaignStatusChanged: 'campaign.status_changed' } as const;

export interface CampaignStatusChangedData {
  campaignId: string;
  from: CampaignStatus;
  to: CampaignStatus;
}

declare module '@crescendo/platform' {
  interface DomainEventPayloads {
    [CampaignsEvents.CampaignStatusChanged]: CampaignStatusChangedData;
  }
}
