import { Injectable } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { AiChatResult, AiErrorCode, AiMessage, AiService, isAiError } from '@crescendo/ai';
import { LeadEventType, LeadResponseDto, LeadsService, LeadStatus, ListLeadsQueryDto } from '@crescendo/leads';
import { AppException, Principal } from '@crescendo/platform';
import { AgentEntity, AgentTool, AgentType } from './agent.entity';
import { AgentLogLevel } from './agent-log.entity';
import { AgentRunEntity } from './agent-run.entity';
import { estimateTokens, nextBatch, TokenBudget } from './token-budget';

/** What a task may use during one run. */
export interface RunContext {
  agent: AgentEntity;
  run: AgentRunEntity;
  budget: TokenBudget;
  log(level: AgentLogLevel, message: string, data?: Record<string, unknown>): Promise<void>;
}

/** A failure the run reports with its own code (the agent's failure count goes up). */
export class AgentRunError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Leads read per run at most, and sent to the model per call at most. */
const MAX_LEADS_PER_RUN = 50;
const MAX_LEADS_PER_CALL = 10;
/** Answer tokens planned per lead (score, status, a few reasons) and per call. */
const ANSWER_TOKENS_PER_LEAD = 120;
const ANSWER_TOKENS_PER_CALL = 40;

const qualificationStatuses = [LeadStatus.Qualified, LeadStatus.Contacted, LeadStatus.Lost, LeadStatus.New] as const;

export class LeadQualificationDto {
  @IsString() leadId: string;
  @IsInt() @Min(0) @Max(100) score: number;
  @IsIn(qualificationStatuses) status: (typeof qualificationStatuses)[number];
  @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(500, { each: true }) reasons: string[];
}

export class LeadQualificationBatchDto {
  @IsArray() @ValidateNested({ each: true }) @Type(() => LeadQualificationDto) results: LeadQualificationDto[];
}

const qualificationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['results'],
  properties: {
    results: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['leadId', 'score', 'status', 'reasons'],
        properties: {
          leadId: { type: 'string' },
          score: { type: 'integer', minimum: 0, maximum: 100 },
          status: { type: 'string', enum: [...qualificationStatuses] },
          reasons: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
};

const contentIdeasSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['ideas'],
  properties: {
    ideas: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['title', 'description', 'channel'],
        properties: { title: { type: 'string' }, description: { type: 'string' }, channel: { type: 'string' } },
      },
    },
  },
};

const instructions: Record<AgentType, string> = {
  [AgentType.LeadQualifier]:
    'You qualify sales leads. For every lead given, answer its id, a score from 0 to 100 (how likely it is to buy), ' +
    'a status (qualified, contacted, lost, or new when unsure) and short reasons. Answer only JSON.',
  [AgentType.OutreachWriter]:
    'You write short, personal first outreach messages to sales leads. Answer the message only.',
  [AgentType.ContentPlanner]: 'You plan marketing content. Answer a list of content ideas as JSON.',
  [AgentType.SupportResponder]: 'You answer customer support requests clearly and politely.',
  [AgentType.Custom]: 'You are an assistant working for a sales and marketing team.',
};

type LeadInput = Pick<LeadResponseDto, 'id'> & Partial<LeadResponseDto>;

/**
 * The work of each agent type. Every model call goes through AiService (usage ledger, retries, breaker)
 * and the run's token budget; a tool the agent was not granted is never used.
 */
@Injectable()
export class AgentTasks {
  constructor(
    private readonly ai: AiService,
    private readonly leads: LeadsService,
  ) {}

  execute(ctx: RunContext): Promise<Record<string, unknown>> {
    switch (ctx.agent.type) {
      case AgentType.LeadQualifier:
        return this.qualifyLeads(ctx);
      case AgentType.OutreachWriter:
        return this.writeOutreach(ctx);
      case AgentType.ContentPlanner:
        return this.planContent(ctx);
      default:
        return this.answer(ctx);
    }
  }

  private async qualifyLeads(ctx: RunContext): Promise<Record<string, unknown>> {
    const pending = await this.leadsToWorkOn(ctx, LeadStatus.New);
    const canUpdate = has(ctx.agent, AgentTool.UpdateLeadStatusScore);
    if (pending.length && !canUpdate) {
      await ctx.log(AgentLogLevel.Warn, 'update_lead_status_score not granted: assessments are logged, not applied');
    }
    const system = systemPrompt(ctx.agent);
    const overhead =
      estimateTokens(system) + estimateTokens(JSON.stringify(qualificationSchema)) + ANSWER_TOKENS_PER_CALL;
    const costOf = (lead: LeadInput) => estimateTokens(JSON.stringify(leadForPrompt(lead))) + ANSWER_TOKENS_PER_LEAD;
    const summary = { leads: pending.length, updated: 0, assessed: 0, unchanged: 0, invalidAnswers: 0, calls: 0 };
    let left = pending;
    while (left.length) {
      const batch = nextBatch(left, costOf, overhead, ctx.budget.remaining, MAX_LEADS_PER_CALL);
      if (!batch.length) {
        await this.budgetReached(ctx, `${left.length} lead(s) not qualified`, { leadIds: left.map((l) => l.id) });
        break;
      }
      left = left.slice(batch.length);
      summary.calls++;
      let answer: LeadQualificationBatchDto;
      let result: AiChatResult;
      try {
        const call = await this.ai.structured<LeadQualificationBatchDto>(
          {
            ...this.request(ctx, 'agent:lead_qualifier'),
            messages: [
              { role: 'system', content: system },
              { role: 'user', content: JSON.stringify({ leads: batch.map(leadForPrompt) }) },
            ],
            maxTokens: ANSWER_TOKENS_PER_CALL + ANSWER_TOKENS_PER_LEAD * batch.length,
          },
          { name: 'lead_qualification', schema: qualificationSchema, dto: LeadQualificationBatchDto },
        );
        ctx.budget.add(call.usage, call.costUsd);
        answer = call.data;
        result = call;
      } catch (error) {
        if (!isAiError(error, AiErrorCode.InvalidOutput)) throw error;
        summary.invalidAnswers++;
        summary.unchanged += batch.length;
        await ctx.log(AgentLogLevel.Error, 'The model’s answer was invalid: leads left unchanged', {
          leadIds: batch.map((l) => l.id),
          error: (error as AppException).message,
        });
        continue;
      }
      const byId = new Map(answer.results.map((r) => [r.leadId, r]));
      for (const lead of batch) {
        const assessment = byId.get(lead.id);
        if (!assessment) {
          summary.unchanged++;
          await ctx.log(AgentLogLevel.Warn, 'The model gave no assessment for a lead: left unchanged', {
            leadId: lead.id,
          });
          continue;
        }
        summary.assessed++;
        const data = {
          leadId: lead.id,
          score: assessment.score,
          status: assessment.status,
          reasons: assessment.reasons,
          provider: result.provider,
          model: result.model,
        };
        if (!canUpdate) {
          await ctx.log(AgentLogLevel.Info, `Lead assessed (not applied): ${lead.name ?? lead.id}`, data);
          continue;
        }
        try {
          await this.leads.update(
            agentPrincipal(ctx.agent),
            lead.id,
            { score: assessment.score, status: assessment.status },
            {
              type: LeadEventType.AgentAction,
              data: {
                agentId: ctx.agent.id,
                agentName: ctx.agent.name,
                runId: ctx.run.id,
                action: 'qualified',
                score: assessment.score,
                status: assessment.status,
                reasons: assessment.reasons,
                provider: result.provider,
                model: result.model,
              },
            },
            { eventData: { agentId: ctx.agent.id } },
          );
          summary.updated++;
          await ctx.log(AgentLogLevel.Info, `Lead qualified: ${lead.name ?? lead.id}`, data);
        } catch (error) {
          if (!(error instanceof AppException) || error.status >= 500) throw error;
          summary.unchanged++;
          await ctx.log(AgentLogLevel.Warn, 'Lead not updated', { leadId: lead.id, error: error.message });
        }
      }
      if (ctx.budget.exhausted && left.length) {
        await this.budgetReached(ctx, `${left.length} lead(s) not qualified`, { leadIds: left.map((l) => l.id) });
        break;
      }
    }
    // Nothing came out of any call: the run did not do its job.
    if (summary.calls && summary.invalidAnswers === summary.calls) {
      throw new AgentRunError(AiErrorCode.InvalidOutput, 'Every answer of the model was invalid; no lead was changed');
    }
    return summary;
  }

  private async writeOutreach(ctx: RunContext): Promise<Record<string, unknown>> {
    if (!has(ctx.agent, AgentTool.DraftMessage)) {
      await ctx.log(AgentLogLevel.Warn, 'draft_message not granted: nothing to do');
      return { drafts: 0 };
    }
    const leads = await this.leadsToWorkOn(ctx, LeadStatus.Qualified);
    const system = systemPrompt(ctx.agent);
    let drafts = 0;
    for (const [index, lead] of leads.entries()) {
      const prompt = JSON.stringify({ lead: leadForPrompt(lead) });
      const planned = estimateTokens(system + prompt) + 300;
      if (planned > ctx.budget.remaining) {
        await this.budgetReached(ctx, `${leads.length - index} lead(s) without a draft`, {});
        break;
      }
      const result = await this.chat(
        ctx,
        'agent:outreach_writer',
        [
          { role: 'system', content: system },
          { role: 'user', content: prompt },
        ],
        300,
      );
      drafts++;
      await ctx.log(AgentLogLevel.Info, `Draft for ${lead.name ?? lead.id}`, {
        leadId: lead.id,
        draft: result.content,
        model: result.model,
      });
    }
    return { leads: leads.length, drafts };
  }

  private async planContent(ctx: RunContext): Promise<Record<string, unknown>> {
    if (!has(ctx.agent, AgentTool.CreateContentIdeas)) {
      await ctx.log(AgentLogLevel.Warn, 'create_content_ideas not granted: nothing to do');
      return { ideas: 0 };
    }
    const system = systemPrompt(ctx.agent);
    const prompt = JSON.stringify({ trigger: ctx.run.trigger, data: ctx.run.triggerData });
    if (!(await this.fits(ctx, system + prompt, 600))) return { ideas: 0 };
    const result = await this.ai.structured<{ ideas: Array<{ title: string; description: string; channel: string }> }>(
      {
        ...this.request(ctx, 'agent:content_planner'),
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: prompt },
        ],
        maxTokens: Math.min(600, ctx.budget.remaining),
      },
      { name: 'content_ideas', schema: contentIdeasSchema },
    );
    ctx.budget.add(result.usage, result.costUsd);
    await ctx.log(AgentLogLevel.Info, `${result.data.ideas.length} content idea(s)`, {
      ideas: result.data.ideas,
      model: result.model,
    });
    return { ideas: result.data.ideas.length };
  }

  /** support_responder and custom: the system prompt over the trigger's data; the answer is logged. */
  private async answer(ctx: RunContext): Promise<Record<string, unknown>> {
    const system = systemPrompt(ctx.agent);
    const prompt = JSON.stringify({ trigger: ctx.run.trigger, data: ctx.run.triggerData });
    if (!(await this.fits(ctx, system + prompt, 500))) return { answered: false };
    const result = await this.chat(
      ctx,
      `agent:${ctx.agent.type}`,
      [
        { role: 'system', content: system },
        { role: 'user', content: prompt },
      ],
      500,
    );
    await ctx.log(AgentLogLevel.Info, 'Answer', { answer: result.content, model: result.model });
    return { answered: true };
  }

  /** The lead of the triggering event, else (with read_leads) up to 50 leads with `status`, oldest first. */
  private async leadsToWorkOn(ctx: RunContext, status: LeadStatus): Promise<LeadInput[]> {
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

  private async chat(ctx: RunContext, feature: string, messages: AiMessage[], maxTokens: number) {
    const result = await this.ai.chat({
      ...this.request(ctx, feature),
      messages,
      maxTokens: Math.max(16, Math.min(maxTokens, ctx.budget.remaining)),
    });
    ctx.budget.add(result.usage, result.costUsd);
    return result;
  }

  private async fits(ctx: RunContext, prompt: string, answerTokens: number): Promise<boolean> {
    if (estimateTokens(prompt) + answerTokens <= ctx.budget.remaining) return true;
    await this.budgetReached(ctx, 'the prompt alone does not fit', {});
    return false;
  }

  private budgetReached(ctx: RunContext, what: string, data: Record<string, unknown>) {
    return ctx.log(AgentLogLevel.Warn, `tokensPerRun (${ctx.agent.tokensPerRun}) reached: ${what}`, {
      ...data,
      tokensUsed: ctx.budget.used,
      tokensPerRun: ctx.agent.tokensPerRun,
    });
  }

  private request(ctx: RunContext, feature: string) {
    return {
      workspaceId: ctx.agent.workspaceId,
      userId: null,
      provider: ctx.agent.provider,
      model: ctx.agent.model,
      feature,
      // Each run must see the model's current answer, not a cached one.
      cache: false,
    };
  }
}

const has = (agent: AgentEntity, tool: AgentTool) => agent.tools.includes(tool);

function systemPrompt(agent: AgentEntity): string {
  const own = agent.systemPrompt.trim();
  return own ? `${instructions[agent.type]}\n\n${own}` : instructions[agent.type];
}

/** What the model sees of a lead: no owner, no internal ids but its own. */
function leadForPrompt(lead: LeadInput) {
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
