import type { AgentRunEntity } from '../agent-run.entity';
import type { AgentEntity } from '../agent.entity';
import { AgentLogLevel, AgentType } from '../agents.types';
import type { TokenBudget } from '../token-budget';

/** What a task may use during one run. */
export interface RunContext {
  agent: AgentEntity;
  run: AgentRunEntity;
  budget: TokenBudget;
  log(level: AgentLogLevel, message: string, data?: Record<string, unknown>): Promise<void>;
}

/** The work of one agent type: registered under AGENT_TASKS, found by type (AgentTaskRegistry). */
export interface AgentTask {
  readonly type: AgentType;
  /** Does the run's work within its budget; answers the run's summary. */
  run(ctx: RunContext): Promise<Record<string, unknown>>;
}

/** Injection token of every AgentTask (one per AgentType). */
export const AGENT_TASKS = Symbol('AGENT_TASKS');

/** A failure the run reports with its own code (the agent's failure count goes up). */
export class AgentRunError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
