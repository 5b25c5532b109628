import { CampaignStatus } from './campaign.entity';

/** Which statuses a campaign may move to from each status; anything else is a 409. */
export const campaignTransitions: Record<CampaignStatus, readonly CampaignStatus[]> = {
  [CampaignStatus.Draft]: [CampaignStatus.Scheduled, CampaignStatus.Active, CampaignStatus.Archived],
  [CampaignStatus.Scheduled]: [
    CampaignStatus.Active,
    CampaignStatus.Paused,
    CampaignStatus.Draft,
    CampaignStatus.Archived,
  ],
  [CampaignStatus.Active]: [CampaignStatus.Paused, CampaignStatus.Completed],
  [CampaignStatus.Paused]: [CampaignStatus.Active, CampaignStatus.Completed, CampaignStatus.Archived],
  [CampaignStatus.Completed]: [CampaignStatus.Archived],
  [CampaignStatus.Archived]: [],
};

export const canTransition = (from: CampaignStatus, to: CampaignStatus) => campaignTransitions[from].includes(to);

/** Statuses whose campaigns may be deleted: nothing running, nothing whose results should be kept unarchived. */
export const deletableStatuses: readonly CampaignStatus[] = [
  CampaignStatus.Draft,
  CampaignStatus.Scheduled,
  CampaignStatus.Paused,
  CampaignStatus.Archived,
];

/** Statuses in which leads may still be enrolled. */
export const enrollableStatuses: readonly CampaignStatus[] = [
  CampaignStatus.Draft,
  CampaignStatus.Scheduled,
  CampaignStatus.Active,
  CampaignStatus.Paused,
];
