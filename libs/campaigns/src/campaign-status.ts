import { CampaignStatus } from './campaigns.types';

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

/**
 * Statuses whose campaigns may be deleted: nothing running, nothing whose results should be kept unarchived.
 * DELETE /campaigns/:id checks it (409 CAMPAIGN_NOT_DELETABLE) and the response's `canDelete` is computed from it.
 */
export const deletableStatuses: readonly CampaignStatus[] = [
  CampaignStatus.Draft,
  CampaignStatus.Scheduled,
  CampaignStatus.Paused,
  CampaignStatus.Archived,
];

/**
 * Statuses in which leads may still be enrolled. POST /campaigns/:id/leads checks it (409 CAMPAIGN_NOT_ENROLLABLE)
 * and the response's `acceptsEnrollments` is computed from it.
 */
export const enrollableStatuses: readonly CampaignStatus[] = [
  CampaignStatus.Draft,
  CampaignStatus.Scheduled,
  CampaignStatus.Active,
  CampaignStatus.Paused,
];

export const isDeletableStatus = (status: CampaignStatus) => deletableStatuses.includes(status);

export const isEnrollableStatus = (status: CampaignStatus) => enrollableStatuses.includes(status);
