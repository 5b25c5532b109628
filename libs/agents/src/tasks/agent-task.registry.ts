import { Inject, Injectable } from '@nestjs/common';
import { agentTypes, AgentType } from '../agents.types';
import { AGENT_TASKS, AgentTask, RunContext } from './agent-task';

/** The task of each agent type; refuses to build (so the app refuses to boot) unless each type has exactly one. */
@Injectable()
export class AgentTaskRegistry {
  private readonly byType = new Map<AgentType, AgentTask>();

  constructor(@Inject(AGENT_TASKS) tasks: AgentTask[]) {
    for (const task of tasks) {
      if (this.byType.has(task.type)) throw new Error(`Two agent tasks for type ${task.type}`);
      this.byType.set(task.type, task);
    }
    const missing = agentTypes.filter((type) => !this.byType.has(type));
    if (missing.length) throw new Error(`No agent task for type(s) ${missing.join(', ')}`);
  }

  execute(ctx: RunContext): Promise<Record<string, unknown>> {
    return this.byType.get(ctx.agent.type)!.run(ctx);
  }
}
