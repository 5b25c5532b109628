import { Injectable } from '@nestjs/common';
import { AgentLogLevel, AgentType } from '../agents.types';
import { AgentModel, systemPrompt, triggerPrompt } from './agent-model';
import { AgentTask, RunContext } from './agent-task';

const ANSWER_TOKENS = 500;

/** The system prompt over the trigger's data; the answer is logged. Decorated so subclasses inherit its parameters. */
@Injectable()
abstract class PromptAnswerTask implements AgentTask {
  abstract readonly type: AgentType;
  protected abstract readonly instructions: string;

  constructor(private readonly model: AgentModel) {}

  async run(ctx: RunContext): Promise<Record<string, unknown>> {
    const system = systemPrompt(ctx.agent, this.instructions);
    const prompt = triggerPrompt(ctx);
    if (!(await this.model.fits(ctx, system + prompt, ANSWER_TOKENS))) return { answered: false };
    const result = await this.model.chat(
      ctx,
      `agent:${this.type}`,
      [
        { role: 'system', content: system },
        { role: 'user', content: prompt },
      ],
      ANSWER_TOKENS,
    );
    await ctx.log(AgentLogLevel.Info, 'Answer', { answer: result.content, model: result.model });
    return { answered: true };
  }
}

@Injectable()
export class SupportResponderTask extends PromptAnswerTask {
  readonly type = AgentType.SupportResponder;
  protected readonly instructions = 'You answer customer support requests clearly and politely.';
}

@Injectable()
export class CustomAgentTask extends PromptAnswerTask {
  readonly type = AgentType.Custom;
  protected readonly instructions = 'You are an assistant working for a sales and marketing team.';
}
