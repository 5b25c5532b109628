import { Injectable } from '@nestjs/common';
import { LeadEventType, LeadResponseDto, LeadsService, LeadStatus, ListLeadsQueryDto } from '@crescendo/leads';
import { AiPrivacy, AppException, Principal } from '@crescendo/platform';
import type { AgentEntity } from '../agent.entity';
import { AgentLogLevel, AgentTool } from '../agents.types';
import type { RunContext } from './agent-task';
import { has } from './agent-model';

/** Leads read per run at most. */
const MAX_LEADS_PER_RUN = 50;

export type LeadInput = Pick<LeadResponseDto, 'id'> & Partial<LeadResponseDto>;

/** What a lead-working task reads and writes, through the leads feature's service and the agent's tools. */
@Injectable()
export class AgentLeads {
  constructor(
    private readonly leads: LeadsService,
    private readonly privacy: AiPrivacy,
  ) {}

  /**
   * The lead of the triggering event, else (with read_leads) up to 50 leads with `status`, oldest first; never a
   * lead whose data may not go to an AI provider (consent to AI processing withdrawn, or required and not given).
   */
  async toWorkOn(ctx: RunContext, status: LeadStatus): Promise<LeadInput[]> {
    const leads = await this.candidates(ctx, status);
    const withheld = await this.privacy.withheldFromAi(
      ctx.agent.workspaceId,
      leads.map((l) => l.email?.toLowerCase() ?? ''),
    );
    if (!withheld.size) return leads;
    const skipped = leads.filter((l) => l.email && withheld.has(l.email.toLowerCase()));
    await ctx.log(AgentLogLevel.Info, `${skipped.length} lead(s) skipped: no consent to AI processing`, {
      leadIds: skipped.map((l) => l.id),
    });
    return leads.filter((l) => !skipped.includes(l));
  }

  private async candidates(ctx: RunContext, status: LeadStatus): Promise<LeadInput[]> {
    const canRead = has(ctx.agent, AgentTool.ReadLeads);
    const data = ctx.run.triggerData;
    if (typeof data.leadId === 'string') {
      if (!canRead) {
        // Without read_leads, only what the event itself carried.
        const snapshot = data.lead as LeadInput | undefined;
        if (snapshot?.id) return [snapshot];
        await ctx.log(AgentLogLevel.Warn, 'read_leads not granted and the event carries no lead', {});
        return [];
      }
      try {
        return [await this.leads.get(ctx.agent.workspaceId, data.leadId)];
      } catch (error) {
        if (!(error instanceof AppException) || error.status !== 404) throw error;
        await ctx.log(AgentLogLevel.Warn, 'The lead of the event no longer exists', { leadId: data.leadId });
        return [];
      }
    }
    if (!canRead) {
      await ctx.log(AgentLogLevel.Warn, 'read_leads not granted: no leads to work on');
      return [];
    }
    const query = Object.assign(new ListLeadsQueryDto(), {
      status,
      page: 1,
      limit: MAX_LEADS_PER_RUN,
      sortBy: 'createdAt',
      order: 'asc',
    });
    const page = await this.leads.list(ctx.agent.workspaceId, query);
    await ctx.log(AgentLogLevel.Info, `${page.data.length} lead(s) with status ${status} to work on`, {
      total: page.pagination.total,
    });
    return page.data;
  }

  /** Writes the score and status, with an `agent_action` timeline entry; the events carry the agent's id. */
  async applyQualification(
    ctx: RunContext,
    leadId: string,
    change: { score: number; status: LeadStatus },
    entry: Record<string, unknown>,
  ): Promise<void> {
    await this.leads.update(
      agentPrincipal(ctx.agent),
      leadId,
      change,
      {
        type: LeadEventType.AgentAction,
        data: { agentId: ctx.agent.id, agentName: ctx.agent.name, runId: ctx.run.id, ...entry },
      },
      { eventData: { agentId: ctx.agent.id } },
    );
  }
}

/** What the model sees of a lead: no owner, no internal ids but its own. */
export function leadForPrompt(lead: LeadInput) {
  return {
    id: lead.id,
    name: lead.name,
    email: lead.email,
    company: lead.company,
    jobTitle: lead.jobTitle,
    source: lead.source,
    status: lead.status,
    score: lead.score,
    tags: lead.tags,
    notes: lead.notes?.slice(0, 1000) ?? null,
    customFields: lead.customFields,
  };
}

/** The agent acting in its workspace: no member, so timeline events and domain events carry no user. */
function agentPrincipal(agent: AgentEntity): Principal {
  return { kind: 'user', userId: '', workspaceId: agent.workspaceId, role: null, permissions: [] };
}
