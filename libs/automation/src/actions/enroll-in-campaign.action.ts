import { Injectable } from '@nestjs/common';
import { CampaignLeadsService } from '@crescendo/campaigns';
import { LeadsService } from '@crescendo/leads';
import { type AutomationActionResult, AutomationActionType } from '../automation.types';
import { type ActionContext, type AutomationActionHandler, automationNote, needLead } from './automation-action';

@Injectable()
export class EnrollInCampaignAction implements AutomationActionHandler {
  readonly type = AutomationActionType.EnrollInCampaign;
  constructor(
    private readonly campaignLeads: CampaignLeadsService,
    private readonly leads: LeadsService,
  ) {}

  async perform(ctx: ActionContext): Promise<AutomationActionResult> {
    const campaignId = ctx.action.campaignId!;
    const lead = needLead(ctx);
    // CampaignLeadsService writes the enrolled event; the automation entry says which rule did it.
    const { enrolled } = await this.campaignLeads.enroll(ctx.principal, campaignId, { leadIds: [lead.id] });
    await this.leads.addNote(
      ctx.payload.workspaceId,
      lead.id,
      automationNote(ctx, { campaignId, enrolled: enrolled > 0 }),
    );
    return { type: this.type, outcome: enrolled ? 'done' : 'unchanged', detail: campaignId };
  }
}
