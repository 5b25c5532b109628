import { Provider } from '@nestjs/common';
import { AgentLeads } from './agent-leads';
import { AgentModel } from './agent-model';
import { AGENT_TASKS, AgentTask } from './agent-task';
import { AgentTaskRegistry } from './agent-task.registry';
import { ContentPlannerTask } from './content-planner.task';
import { LeadQualifierTask } from './lead-qualifier.task';
import { OutreachWriterTask } from './outreach-writer.task';
import { CustomAgentTask, SupportResponderTask } from './prompt-answer.task';

/** One class per agent type; a new type adds its class here (the registry refuses to boot without it). */
const taskClasses = [LeadQualifierTask, OutreachWriterTask, ContentPlannerTask, SupportResponderTask, CustomAgentTask];

/** The providers of agent tasks: their helpers, each task, the AGENT_TASKS list and the registry. */
export const agentTaskProviders: Provider[] = [
  AgentModel,
  AgentLeads,
  ...taskClasses,
  { provide: AGENT_TASKS, useFactory: (...tasks: AgentTask[]) => tasks, inject: taskClasses },
  AgentTaskRegistry,
];

export { AgentRunError } from './agent-task';
export type { AgentTask, RunContext } from './agent-task';
export { AgentTaskRegistry };
