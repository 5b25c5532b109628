import { CampaignStatus } from './campaigns.types';
import { campaignTransitions, canTransition } from './campaign-status';

describe('campaign status transitions', () => {
  it('follows the table', () => {
    expect(canTransition(CampaignStatus.Draft, CampaignStatus.Active)).toBe(true);
    expect(canTransition(CampaignStatus.Draft, CampaignStatus.Completed)).toBe(false);
    expect(canTransition(CampaignStatus.Active, CampaignStatus.Draft)).toBe(false);
    expect(canTransition(CampaignStatus.Paused, CampaignStatus.Active)).toBe(true);
    expect(canTransition(CampaignStatus.Completed, CampaignStatus.Archived)).toBe(true);
  });

  it('never allows a status to itself, and archived is final', () => {
    for (const [from, targets] of Object.entries(campaignTransitions)) expect(targets).not.toContain(from);
    expect(campaignTransitions[CampaignStatus.Archived]).toEqual([]);
  });
});
