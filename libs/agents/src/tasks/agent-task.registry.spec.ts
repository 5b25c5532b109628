import { AgentType, agentTypes } from '../agents.types';
import { AgentTask, RunContext } from './agent-task';
import { AgentTaskRegistry } from './agent-task.registry';

const task = (type: AgentType): AgentTask => ({ type, run: async () => ({ ranBy: type }) });
const ctxOf = (type: AgentType) => ({ agent: { type } }) as unknown as RunContext;

describe('AgentTaskRegistry', () => {
  it('runs the task registered for the agent’s type', async () => {
    const registry = new AgentTaskRegistry(agentTypes.map(task));
    for (const type of agentTypes) await expect(registry.execute(ctxOf(type))).resolves.toEqual({ ranBy: type });
  });

  it('refuses a type without a task', () => {
    const tasks = agentTypes.filter((t) => t !== AgentType.ContentPlanner).map(task);
    expect(() => new AgentTaskRegistry(tasks)).toThrow('No agent task for type(s) content_planner');
  });

  it('refuses two tasks for one type', () => {
    expect(() => new AgentTaskRegistry([...agentTypes.map(task), task(AgentType.Custom)])).toThrow(
      'Two agent tasks for type custom',
    );
  });
});
