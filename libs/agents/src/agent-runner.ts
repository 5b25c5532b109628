import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditService, LogLevel, LogType } from '@crescendo/audit';
import { JobFailure, JobTrackerService } from '@crescendo/jobs';
import { AppException, JobName, JobPayloads, OnJob } from '@crescendo/platform';
import { AgentEntity, AgentStatus } from './agent.entity';
import { AgentLogEntity, AgentLogLevel } from './agent-log.entity';
import { AgentRunEntity, AgentRunStatus, AgentRunTrigger } from './agent-run.entity';
import { AgentRunsQueue } from './agent-runs.queue';
import { AgentRunError, AgentTasks, RunContext } from './agent-tasks';
import { TokenBudget } from './token-budget';

/** Consecutive failed runs that put an agent in error. */
export const MAX_CONSECUTIVE_FAILURES = 3;

type Started = { agent: AgentEntity; run: AgentRunEntity } | { skip: { code: string; message: string } };

/**
 * Worker side of a run: starts it under the agent's row lock (runsPerDay, status), runs the type's task
 * within tokensPerRun, records the outcome on the run, the agent (failure count, error) and the audit log.
 */
@Injectable()
export class AgentRunner {
  private readonly logger = new Logger(AgentRunner.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(AgentRunEntity) private readonly runs: Repository<AgentRunEntity>,
    @InjectRepository(AgentLogEntity) private readonly logs: Repository<AgentLogEntity>,
    private readonly tracker: JobTrackerService,
    private readonly tasks: AgentTasks,
    private readonly queue: AgentRunsQueue,
    private readonly audit: AuditService,
  ) {}

  @OnJob(JobName.RunAgent)
  handleRun(data: JobPayloads[JobName.RunAgent], job: Job): Promise<Record<string, unknown>> {
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
  private start(data: JobPayloads[JobName.RunAgent]): Promise<Started> {
    return this.dataSource.transaction(async (manager) => {
      const agent = await manager.getRepository(AgentEntity).findOne({
        where: { id: data.agentId, workspaceId: data.workspaceId },
        lock: { mode: 'pessimistic_write' },
      });
      const runs = manager.getRepository(AgentRunEntity);
      const run = await runs.findOneBy({ id: data.jobId, agentId: data.agentId });
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
      } else {
        const [{ count }] = await manager.query(
          `SELECT count(*)::int AS count FROM agent_runs
            WHERE agent_id = $1 AND started_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
          [agent.id],
        );
        if (count >= agent.runsPerDay) {
          skip = {
            code: 'AGENT_RUNS_PER_DAY_EXCEEDED',
            message: `Run skipped: runsPerDay (${agent.runsPerDay}) reached for today (UTC)`,
          };
        }
      }
      const now = new Date();
      if (skip) {
        await runs.update({ id: run.id }, { status: AgentRunStatus.Failed, error: skip, finishedAt: now });
        return { skip };
      }
      await runs.update({ id: run.id }, { status: AgentRunStatus.Running, startedAt: now });
      await manager.getRepository(AgentEntity).update({ id: agent.id }, { lastRunAt: now });
      return { agent, run: { ...run, status: AgentRunStatus.Running, startedAt: now } };
    });
  }

  private async succeed(ctx: RunContext, summary: Record<string, unknown>): Promise<void> {
    const { agent, run, budget } = ctx;
    await this.runs.update(
      { id: run.id },
      {
        status: AgentRunStatus.Succeeded,
        summary: summary as QueryDeepPartialEntity<Record<string, unknown>>,
        finishedAt: new Date(),
        ...spent(budget),
      },
    );
    await this.dataSource.query('UPDATE agents SET consecutive_failures = 0 WHERE id = $1', [agent.id]);
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
    await this.runs.update(
      { id: run.id },
      { status: AgentRunStatus.Failed, error: failure, finishedAt: new Date(), ...spent(budget) },
    );
    const reason = `${MAX_CONSECUTIVE_FAILURES} consecutive failed runs; last: ${failure.code}: ${failure.message}`;
    const [rows] = (await this.dataSource.query(
      `UPDATE agents SET consecutive_failures = consecutive_failures + 1,
              status = CASE WHEN consecutive_failures + 1 >= $2 THEN 'error' ELSE status END,
              error_reason = CASE WHEN consecutive_failures + 1 >= $2 THEN $3 ELSE error_reason END,
              updated_at = now()
        WHERE id = $1
        RETURNING consecutive_failures, status`,
      [agent.id, MAX_CONSECUTIVE_FAILURES, reason.slice(0, 1000)],
    )) as [Array<{ consecutive_failures: number; status: AgentStatus }>, number];
    const updated = rows[0];
    await ctx.log(AgentLogLevel.Error, `Run failed: ${failure.message}`, {
      ...failure,
      consecutiveFailures: updated?.consecutive_failures,
    });
    await this.audit.record({
      type: LogType.Agent,
      action: 'agent_run_failed',
      level: LogLevel.Error,
      message: `Agent ${agent.name} run failed: ${failure.message}`,
      workspaceId: agent.workspaceId,
      metadata: { agentId: agent.id, runId: run.id, trigger: run.trigger, error: failure, tokens: budget.used },
    });
    if (updated?.status === AgentStatus.Error && updated.consecutive_failures === MAX_CONSECUTIVE_FAILURES) {
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
      await this.logs.insert({
        workspaceId,
        agentId,
        runId,
        level,
        message: message.slice(0, 2000),
        data,
        // Lines of one run keep their order.
        createdAt: () => 'clock_timestamp()',
      } as never);
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
