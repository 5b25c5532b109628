import { Injectable } from '@nestjs/common';
import { AiMessage, AiService, AiStructuredSchema } from '@crescendo/ai';
import type { AgentEntity } from '../agent.entity';
import { AgentLogLevel, AgentTool } from '../agents.types';
import { estimateTokens } from '../token-budget';
import type { RunContext } from './agent-task';

/**
 * Model calls of a run: every call goes through AiService (usage ledger, retries, breaker) and is counted
 * in the run's token budget.
 */
@Injectable()
export class AgentModel {
  constructor(private readonly ai: AiService) {}

  async chat(ctx: RunContext, feature: string, messages: AiMessage[], maxTokens: number) {
    const result = await this.ai.chat({
      ...request(ctx, feature),
      messages,
      maxTokens: Math.max(16, Math.min(maxTokens, ctx.budget.remaining)),
    });
    ctx.budget.add(result.usage, result.costUsd);
    return result;
  }

  async structured<T>(
    ctx: RunContext,
    feature: string,
    messages: AiMessage[],
    maxTokens: number,
    output: AiStructuredSchema<T>,
  ) {
    const result = await this.ai.structured<T>({ ...request(ctx, feature), messages, maxTokens }, output);
    ctx.budget.add(result.usage, result.costUsd);
    return result;
  }

  /** Whether the prompt and its answer fit in what the run may still spend (logged when not). */
  async fits(ctx: RunContext, prompt: string, answerTokens: number): Promise<boolean> {
    if (estimateTokens(prompt) + answerTokens <= ctx.budget.remaining) return true;
    await budgetReached(ctx, 'the prompt alone does not fit', {});
    return false;
  }
}

export function budgetReached(ctx: RunContext, what: string, data: Record<string, unknown>) {
  return ctx.log(AgentLogLevel.Warn, `tokensPerRun (${ctx.agent.tokensPerRun}) reached: ${what}`, {
    ...data,
    tokensUsed: ctx.budget.used,
    tokensPerRun: ctx.agent.tokensPerRun,
  });
}

export const has = (agent: AgentEntity, tool: AgentTool) => agent.tools.includes(tool);

/** The type's instructions, then the agent's own system prompt. */
export function systemPrompt(agent: AgentEntity, instructions: string): string {
  const own = agent.systemPrompt.trim();
  return own ? `${instructions}\n\n${own}` : instructions;
}

/** The trigger's data as the user message of a run that works on no lead. */
export const triggerPrompt = (ctx: RunContext) =>
  JSON.stringify({ trigger: ctx.run.trigger, data: ctx.run.triggerData });

function request(ctx: RunContext, feature: string) {
  return {
    workspaceId: ctx.agent.workspaceId,
    userId: null,
    provider: ctx.agent.provider,
    model: ctx.agent.model,
    feature,
    // Each run must see the model's current answer, not a cached one.
    cache: false,
    dataCategories: ['agent_input'],
  };
}
