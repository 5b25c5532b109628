import { defineJobs, QueueName } from '@crescendo/platform';

/** One run of an AI agent (a tracked job: its id is the agent_runs row's id). */
export interface RunAgentPayload {
  jobId: string;
  workspaceId: string;
  agentId: string;
}

/** Fired by an agent's own job scheduler (cron): queues a RunAgent. */
export interface ScheduledAgentRunPayload {
  workspaceId: string;
  agentId: string;
}

/** The agents' jobs. */
export const AgentsJobs = {
  RunAgent: 'agents.run',
  ScheduledAgentRun: 'agents.scheduled-run',
} as const;

declare module '@crescendo/platform' {
  interface JobPayloads {
    [AgentsJobs.RunAgent]: RunAgentPayload;
    [AgentsJobs.ScheduledAgentRun]: ScheduledAgentRunPayload;
  }
}

defineJobs(AgentsJobs, {
  [AgentsJobs.RunAgent]: { queue: QueueName.Agents },
  [AgentsJobs.ScheduledAgentRun]: { queue: QueueName.Agents },
});
