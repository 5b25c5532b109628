import { Injectable } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { AiErrorCode, AiStructuredResult, isAiError } from '@crescendo/ai';
import { LeadStatus } from '@crescendo/leads';
import { AppException } from '@crescendo/platform';
import { AgentLogLevel, AgentTool, AgentType } from '../agents.types';
import { estimateTokens, nextBatch } from '../token-budget';
import { AgentLeads, LeadInput, leadForPrompt } from './agent-leads';
import { AgentModel, budgetReached, has, systemPrompt } from './agent-model';
import { AgentRunError, AgentTask, RunContext } from './agent-task';

/** Leads sent to the model per call at most. */
const MAX_LEADS_PER_CALL = 10;
/** Answer tokens planned per lead (score, status, a few reasons) and per call. */
const ANSWER_TOKENS_PER_LEAD = 120;
const ANSWER_TOKENS_PER_CALL = 40;

const INSTRUCTIONS =
  'You qualify sales leads. For every lead given, answer its id, a score from 0 to 100 (how likely it is to buy), ' +
  'a status (qualified, contacted, lost, or new when unsure) and short reasons. Answer only JSON.';

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

type Summary = {
  leads: number;
  updated: number;
  assessed: number;
  unchanged: number;
  invalidAnswers: number;
  calls: number;
};

/**
 * Scores the triggering lead (else the `new` ones) in batches that fit the budget, through structured output;
 * writes score and status only with update_lead_status_score, else logs the assessments.
 */
@Injectable()
export class LeadQualifierTask implements AgentTask {
  readonly type = AgentType.LeadQualifier;

  constructor(
    private readonly model: AgentModel,
    private readonly leads: AgentLeads,
  ) {}

  async run(ctx: RunContext): Promise<Record<string, unknown>> {
    const pending = await this.leads.toWorkOn(ctx, LeadStatus.New);
    const canUpdate = has(ctx.agent, AgentTool.UpdateLeadStatusScore);
    if (pending.length && !canUpdate) {
      await ctx.log(AgentLogLevel.Warn, 'update_lead_status_score not granted: assessments are logged, not applied');
    }
    const system = systemPrompt(ctx.agent, INSTRUCTIONS);
    const overhead =
      estimateTokens(system) + estimateTokens(JSON.stringify(qualificationSchema)) + ANSWER_TOKENS_PER_CALL;
    const costOf = (lead: LeadInput) => estimateTokens(JSON.stringify(leadForPrompt(lead))) + ANSWER_TOKENS_PER_LEAD;
    const summary: Summary = {
      leads: pending.length,
      updated: 0,
      assessed: 0,
      unchanged: 0,
      invalidAnswers: 0,
      calls: 0,
    };
    let left = pending;
    while (left.length) {
      const batch = nextBatch(left, costOf, overhead, ctx.budget.remaining, MAX_LEADS_PER_CALL);
      if (!batch.length) {
        await budgetReached(ctx, `${left.length} lead(s) not qualified`, { leadIds: left.map((l) => l.id) });
        break;
      }
      left = left.slice(batch.length);
      summary.calls++;
      let result: AiStructuredResult<LeadQualificationBatchDto>;
      try {
        result = await this.model.structured<LeadQualificationBatchDto>(
          ctx,
          'agent:lead_qualifier',
          [
            { role: 'system', content: system },
            { role: 'user', content: JSON.stringify({ leads: batch.map(leadForPrompt) }) },
          ],
          ANSWER_TOKENS_PER_CALL + ANSWER_TOKENS_PER_LEAD * batch.length,
          { name: 'lead_qualification', schema: qualificationSchema, dto: LeadQualificationBatchDto },
        );
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
      await this.apply(ctx, batch, result, canUpdate, summary);
      if (ctx.budget.exhausted && left.length) {
        await budgetReached(ctx, `${left.length} lead(s) not qualified`, { leadIds: left.map((l) => l.id) });
        break;
      }
    }
    // Nothing came out of any call: the run did not do its job.
    if (summary.calls && summary.invalidAnswers === summary.calls) {
      throw new AgentRunError(AiErrorCode.InvalidOutput, 'Every answer of the model was invalid; no lead was changed');
    }
    return summary;
  }

  /** Applies (or only logs) one batch's assessments; a lead the model skipped is left unchanged. */
  private async apply(
    ctx: RunContext,
    batch: LeadInput[],
    result: AiStructuredResult<LeadQualificationBatchDto>,
    canUpdate: boolean,
    summary: Summary,
  ): Promise<void> {
    const byId = new Map(result.data.results.map((r) => [r.leadId, r]));
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
        await this.leads.applyQualification(
          ctx,
          lead.id,
          { score: assessment.score, status: assessment.status },
          {
            action: 'qualified',
            score: assessment.score,
            status: assessment.status,
            reasons: assessment.reasons,
            provider: result.provider,
            model: result.model,
          },
        );
        summary.updated++;
        await ctx.log(AgentLogLevel.Info, `Lead qualified: ${lead.name ?? lead.id}`, data);
      } catch (error) {
        if (!(error instanceof AppException) || error.status >= 500) throw error;
        summary.unchanged++;
        await ctx.log(AgentLogLevel.Warn, 'Lead not updated', { leadId: lead.id, error: error.message });
      }
    }
  }
}
