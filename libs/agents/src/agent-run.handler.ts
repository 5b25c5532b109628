import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, LogLevel, LogType } from '@crescendo/audit';
import { JobFailure, JobTrackerService } from '@crescendo/jobs';
import { AppException, OnJob } from '@crescendo/platform';
import { WorkspacePlanService } from '@crescendo/identity';
import { AgentLogRepository } from './agent-log.repository';
import { AgentRunEntity } from './agent-run.entity';
import { AgentRunRepository } from './agent-run.repository';
import { AgentEntity } from './agent.entity';
import { AgentRepository } from './agent.repository';
import { AgentRunsQueue } from './agent-runs.queue';
import { AgentLogLevel, AgentRunStatus, AgentRunTrigger, AgentStatus } from './agents.types';
import { AgentRunError, AgentTaskRegistry, RunContext } from './tasks';
import { TokenBudget } from './token-budget';
import { AgentsJobs, RunAgentPayload } from './agents.jobs';

/** Consecutive failed runs that put an agent in error. */
export const MAX_CONSECUTIVE_FAILURES = 3;

type Started = { agent: AgentEntity; run: AgentRunEntity } | { skip: { code: string; message: string } };

/**
 * Worker side of a run: starts it under the agent's row lock (runsPerDay, status), runs the type's task
 * (AgentTaskRegistry) within tokensPerRun, records the outcome on the run, the agent (failure count, error)
 * and the audit log. Storage goes through the repositories.
 */
@Injectable()
export class AgentRunner {
  private readonly logger = new Logger(AgentRunner.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly agents: AgentRepository,
    private readonly runs: AgentRunRepository,
    private readonly logs: AgentLogRepository,
    private readonly tracker: JobTrackerService,
    private readonly tasks: AgentTaskRegistry,
    private readonly queue: AgentRunsQueue,
    private readonly audit: AuditService,
    private readonly plans: WorkspacePlanService,
  ) {}

  @OnJob(AgentsJobs.RunAgent)
  handleRun(data: RunAgentPayload, job: Job): Promise<Record<string, unknown>> {
    return this.tracker.run(job, async () => {
      const started = await this.start(data);
      if ('skip' in started) {
        await this.writeLog(data.workspaceId, data.agentId, data.jobId, AgentLogLevel.Warn, started.skip.message, {
          code: started.skip.code,
        });
        await this.audit.record({
          type: LogType.Agent,
          action: 'agent_run_skipped',
          level: LogLevel.Warn,
          message: started.skip.message,
          workspaceId: data.workspaceId,
          metadata: { agentId: data.agentId, runId: data.jobId, code: started.skip.code },
        });
        throw new JobFailure(started.skip.code, started.skip.message);
      }
      const { agent, run } = started;
      const ctx: RunContext = {
        agent,
        run,
        budget: new TokenBudget(agent.tokensPerRun),
        log: (level, message, extra = {}) => this.writeLog(agent.workspaceId, agent.id, run.id, level, message, extra),
      };
      await ctx.log(AgentLogLevel.Info, `Run started (${run.trigger})`, { trigger: run.trigger, eventId: run.eventId });
      let summary: Record<string, unknown>;
      try {
        summary = await this.tasks.execute(ctx);
      } catch (error) {
        const failure = describe(error);
        await this.fail(ctx, failure);
        throw new JobFailure(failure.code, failure.message);
      }
      await this.succeed(ctx, summary);
      return { result: { runId: run.id, status: AgentRunStatus.Succeeded, summary, tokens: ctx.budget.used } };
    });
  }

  /** Moves the run from queued to running, or says why it may not run. */
  private start(data: RunAgentPayload): Promise<Started> {
    return this.dataSource.transaction(async (manager) => {
      const agent = await this.agents.lockForRun(manager, data.workspaceId, data.agentId);
      const run = await this.runs.findOne(data.agentId, data.jobId, manager);
      if (!agent || !run) throw new JobFailure('AGENT_NOT_FOUND', 'The agent was deleted');
      if (run.status !== AgentRunStatus.Queued) {
        throw new JobFailure('AGENT_RUN_ALREADY_STARTED', 'This run already started once; queue a new one');
      }
      let skip: { code: string; message: string } | null = null;
      const automatic = run.trigger === AgentRunTrigger.Schedule || run.trigger === AgentRunTrigger.Event;
      if (agent.status === AgentStatus.Error) {
        skip = { code: 'AGENT_IN_ERROR', message: 'Run skipped: the agent is in error' };
      } else if (agent.status === AgentStatus.Inactive && automatic) {
        skip = { code: 'AGENT_INACTIVE', message: 'Run skipped: the agent is inactive' };
      } else if (await this.pastPlanLimit(agent, manager)) {
        skip = {
          code: 'AGENT_READ_ONLY',
          message: "Run skipped: the agent is past the plan's agents limit (read-only)",
        };
      } else {
        if ((await this.runs.countStartedToday(agent.id, manager)) >= agent.runsPerDay) {
          skip = {
            code: 'AGENT_RUNS_PER_DAY_EXCEEDED',
            message: `Run skipped: runsPerDay (${agent.runsPerDay}) reached for today (UTC)`,
          };
        }
      }
      const now = new Date();
      if (skip) {
        await this.runs.markSkipped(run.id, skip, now, manager);
        return { skip };
      }
      await this.runs.markRunning(run.id, now, manager);
      await this.agents.update(agent.id, { lastRunAt: now }, manager);
      return { agent, run: { ...run, status: AgentRunStatus.Running, startedAt: now } };
    });
  }

  /** A downgrade made the agent read-only (see AgentsService.isReadOnly): queued and scheduled runs stop. */
  private async pastPlanLimit(agent: AgentEntity, manager: EntityManager): Promise<boolean> {
    const { agents: allowed } = await this.plans.limitsOf(agent.workspaceId);
    return allowed !== null && this.agents.isPastLimit(agent.workspaceId, agent.id, allowed, manager);
  }

  private async succeed(ctx: RunContext, summary: Record<string, unknown>): Promise<void> {
    const { agent, run, budget } = ctx;
    await this.runs.markSucceeded(run.id, summary, spent(budget));
    await this.agents.resetFailures(agent.id);
    await ctx.log(AgentLogLevel.Info, 'Run succeeded', { summary, tokens: budget.used, costUsd: budget.costUsd });
    await this.audit.record({
      type: LogType.Agent,
      action: 'agent_run_succeeded',
      message: `Agent ${agent.name} run succeeded`,
      workspaceId: agent.workspaceId,
      metadata: { agentId: agent.id, runId: run.id, trigger: run.trigger, summary, tokens: budget.used },
    });
  }

  /** Records the failure; the Nth in a row puts the agent in error and stops its schedule. */
  private async fail(ctx: RunContext, failure: { code: string; message: string }): Promise<void> {
    const { agent, run, budget } = ctx;
    await this.runs.markFailed(run.id, failure, spent(budget));
    const reason = `${MAX_CONSECUTIVE_FAILURES} consecutive failed runs; last: ${failure.code}: ${failure.message}`;
    const updated = await this.agents.countFailure(agent.id, MAX_CONSECUTIVE_FAILURES, reason.slice(0, 1000));
    await ctx.log(AgentLogLevel.Error, `Run failed: ${failure.message}`, {
      ...failure,
      consecutiveFailures: updated?.consecutiveFailures,
    });
    await this.audit.record({
      type: LogType.Agent,
      action: 'agent_run_failed',
      level: LogLevel.Error,
      message: `Agent ${agent.name} run failed: ${failure.message}`,
      workspaceId: agent.workspaceId,
      metadata: { agentId: agent.id, runId: run.id, trigger: run.trigger, error: failure, tokens: budget.used },
    });
    if (updated?.status === AgentStatus.Error && updated.consecutiveFailures === MAX_CONSECUTIVE_FAILURES) {
      await this.queue.unschedule(agent.id);
      await ctx.log(AgentLogLevel.Error, `Agent stopped: ${reason}`, {});
      await this.audit.record({
        type: LogType.Agent,
        action: 'agent_errored',
        level: LogLevel.Error,
        message: `Agent ${agent.name} stopped: ${reason}`,
        workspaceId: agent.workspaceId,
        metadata: { agentId: agent.id, runId: run.id },
      });
    }
  }

  private async writeLog(
    workspaceId: string,
    agentId: string,
    runId: string,
    level: AgentLogLevel,
    message: string,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    try {
      await this.logs.insert({ workspaceId, agentId, runId, level, message, data });
    } catch (error) {
      // The agent may have been deleted meanwhile (its logs with it): never fail the run for a log line.
      this.logger.warn({ err: error, agentId, runId }, 'Agent log not written');
    }
  }
}

function spent(budget: TokenBudget) {
  return { inputTokens: budget.inputTokens, outputTokens: budget.outputTokens, costUsd: budget.costUsd };
}

function describe(error: unknown): { code: string; message: string } {
  if (error instanceof AgentRunError || error instanceof AppException) {
    return { code: error.code, message: error.message };
  }
  return { code: 'AGENT_RUN_FAILED', message: error instanceof Error ? error.message : String(error) };
}
