import { Injectable } from '@nestjs/common';
import { LeadStatus } from '@crescendo/leads';
import { AgentLogLevel, AgentTool, AgentType } from '../agents.types';
import { estimateTokens } from '../token-budget';
import { AgentLeads, leadForPrompt } from './agent-leads';
import { AgentModel, budgetReached, has, systemPrompt } from './agent-model';
import { AgentTask, RunContext } from './agent-task';

const INSTRUCTIONS = 'You write short, personal first outreach messages to sales leads. Answer the message only.';
const ANSWER_TOKENS = 300;

/** One draft first message per qualified lead (with draft_message), logged; nothing is sent. */
@Injectable()
export class OutreachWriterTask implements AgentTask {
  readonly type = AgentType.OutreachWriter;

  constructor(
    private readonly model: AgentModel,
    private readonly leads: AgentLeads,
  ) {}

  async run(ctx: RunContext): Promise<Record<string, unknown>> {
    if (!has(ctx.agent, AgentTool.DraftMessage)) {
      await ctx.log(AgentLogLevel.Warn, 'draft_message not granted: nothing to do');
      return { drafts: 0 };
    }
    const leads = await this.leads.toWorkOn(ctx, LeadStatus.Qualified);
    const system = systemPrompt(ctx.agent, INSTRUCTIONS);
    let drafts = 0;
    for (const [index, lead] of leads.entries()) {
      const prompt = JSON.stringify({ lead: leadForPrompt(lead) });
      const planned = estimateTokens(system + prompt) + ANSWER_TOKENS;
      if (planned > ctx.budget.remaining) {
        await budgetReached(ctx, `${leads.length - index} lead(s) without a draft`, {});
        break;
      }
      const result = await this.model.chat(
        ctx,
        'agent:outreach_writer',
        [
          { role: 'system', content: system },
          { role: 'user', content: prompt },
        ],
        ANSWER_TOKENS,
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
}
