import { Injectable } from '@nestjs/common';
import { AgentLogLevel, AgentTool, AgentType } from '../agents.types';
import { AgentModel, has, systemPrompt, triggerPrompt } from './agent-model';
import { AgentTask, RunContext } from './agent-task';

const INSTRUCTIONS = 'You plan marketing content. Answer a list of content ideas as JSON.';
const ANSWER_TOKENS = 600;

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

type ContentIdeas = { ideas: Array<{ title: string; description: string; channel: string }> };

/** Content ideas from the trigger's data (with create_content_ideas), through structured output; logged. */
@Injectable()
export class ContentPlannerTask implements AgentTask {
  readonly type = AgentType.ContentPlanner;

  constructor(private readonly model: AgentModel) {}

  async run(ctx: RunContext): Promise<Record<string, unknown>> {
    if (!has(ctx.agent, AgentTool.CreateContentIdeas)) {
      await ctx.log(AgentLogLevel.Warn, 'create_content_ideas not granted: nothing to do');
      return { ideas: 0 };
    }
    const system = systemPrompt(ctx.agent, INSTRUCTIONS);
    const prompt = triggerPrompt(ctx);
    if (!(await this.model.fits(ctx, system + prompt, ANSWER_TOKENS))) return { ideas: 0 };
    const result = await this.model.structured<ContentIdeas>(
      ctx,
      'agent:content_planner',
      [
        { role: 'system', content: system },
        { role: 'user', content: prompt },
      ],
      Math.min(ANSWER_TOKENS, ctx.budget.remaining),
      { name: 'content_ideas', schema: contentIdeasSchema },
    );
    await ctx.log(AgentLogLevel.Info, `${result.data.ideas.length} content idea(s)`, {
      ideas: result.data.ideas,
      model: result.model,
    });
    return { ideas: result.data.ideas.length };
  }
}
