import { Injectable } from '@nestjs/common';
import { AiProviderRegistry } from '@crescendo/ai';
import { AuditService, LogType } from '@crescendo/audit';
import { JobAcceptedResponseDto } from '@crescendo/jobs';
import {
  badRequest,
  conflict,
  cronProblem,
  CursorCodec,
  CursorPaginated,
  forbidden,
  notFound,
  Principal,
  queryBuilderList,
} from '@crescendo/platform';
import { WorkspacePlanService } from '@crescendo/identity';
import { AgentLogEntity } from './agent-log.entity';
import { AGENT_LOG_ORDER, AgentLogRepository } from './agent-log.repository';
import { AgentEntity } from './agent.entity';
import { AGENT_ORDER, AgentRepository } from './agent.repository';
import { AgentRunsQueue } from './agent-runs.queue';
import {
  AgentReadOnlyReason,
  AgentRunTrigger,
  AgentStatus,
  AgentTool,
  AgentTriggerType,
  AgentType,
} from './agents.types';
import {
  AgentLimitsDto,
  AgentLogResponseDto,
  AgentResponseDto,
  AgentTriggerDto,
  CreateAgentDto,
  ListAgentLogsQueryDto,
  ListAgentsQueryDto,
  UpdateAgentDto,
} from './agents.dto';

export const DEFAULT_RUNS_PER_DAY = 24;
export const DEFAULT_TOKENS_PER_RUN = 4000;

/** The tools an agent gets when none are listed: what its type needs. */
export const defaultTools: Record<AgentType, AgentTool[]> = {
  [AgentType.LeadQualifier]: [AgentTool.ReadLeads, AgentTool.UpdateLeadStatusScore],
  [AgentType.OutreachWriter]: [AgentTool.ReadLeads, AgentTool.DraftMessage],
  [AgentType.ContentPlanner]: [AgentTool.CreateContentIdeas],
  [AgentType.SupportResponder]: [],
  [AgentType.Custom]: [],
};

/** A workspace's AI agents: CRUD, status, restart, manual runs and their logs (routes under /api/agents). */
@Injectable()
export class AgentsService {
  constructor(
    private readonly agents: AgentRepository,
    private readonly logs: AgentLogRepository,
    private readonly providers: AiProviderRegistry,
    private readonly runs: AgentRunsQueue,
    private readonly audit: AuditService,
    private readonly cursors: CursorCodec,
    private readonly plans: WorkspacePlanService,
  ) {}

  /** Oldest first, by cursor or page number, with a bounded total; agents past the plan's limit flagged read-only. */
  async list(workspaceId: string, query: ListAgentsQueryDto): Promise<CursorPaginated<AgentResponseDto>> {
    const readOnly = await this.readOnlyAgents(workspaceId);
    return queryBuilderList(this.agents.listQuery(workspaceId, { status: query.status, type: query.type }), {
      codec: this.cursors,
      scope: `${workspaceId}:agents:createdAt:asc`,
      request: query,
      order: AGENT_ORDER,
      map: (agent) => toAgentResponse(agent, readOnly.has(agent.id)),
    });
  }

  async get(workspaceId: string, id: string): Promise<AgentResponseDto> {
    const agent = await this.find(workspaceId, id);
    return toAgentResponse(agent, await this.isReadOnly(workspaceId, agent.id));
  }

  /**
   * Whether the plan makes this agent read-only: a downgrade keeps every agent, and the oldest ones within the
   * plan's limit stay usable; the newer ones past it can be read and deleted only. Computed, so an upgrade (or
   * deleting an older agent) gives them back at once. The run handler checks it too (scheduled runs are skipped).
   */
  async isReadOnly(workspaceId: string, agentId: string): Promise<boolean> {
    const { agents: allowed } = await this.plans.limitsOf(workspaceId);
    return allowed !== null && this.agents.isPastLimit(workspaceId, agentId, allowed);
  }

  private async readOnlyAgents(workspaceId: string): Promise<Set<string>> {
    const { agents: allowed } = await this.plans.limitsOf(workspaceId);
    return allowed === null ? new Set() : this.agents.pastLimit(workspaceId, allowed);
  }

  /** 403 AGENT_READ_ONLY for an agent past the plan's limit (see isReadOnly). */
  private async assertWritable(workspaceId: string, agent: AgentEntity): Promise<void> {
    if (!(await this.isReadOnly(workspaceId, agent.id))) return;
    const { agents: allowed } = await this.plans.limitsOf(workspaceId);
    throw forbidden(
      'AGENT_READ_ONLY',
      `The plan allows ${allowed} agents and this one is past them: it cannot run or be edited until the plan is ` +
        'upgraded or an older agent is deleted',
      [{ field: 'agents', message: `Read-only: past the plan's ${allowed} agents` }],
    );
  }

  async create(principal: Principal, dto: CreateAgentDto): Promise<AgentResponseDto> {
    const { provider, model } = this.resolveModel(dto.provider, dto.model);
    const trigger = checkTrigger(dto.trigger);
    const limits = dto.limits ?? {};
    await this.assertAgentAllowed(principal.workspaceId);
    const agent = this.agents.create({
      workspaceId: principal.workspaceId,
      name: dto.name,
      type: dto.type,
      provider,
      model,
      systemPrompt: dto.systemPrompt ?? '',
      tools: dto.tools ?? defaultTools[dto.type],
      ...trigger,
      runsPerDay: limits.runsPerDay ?? DEFAULT_RUNS_PER_DAY,
      tokensPerRun: limits.tokensPerRun ?? DEFAULT_TOKENS_PER_RUN,
      status: dto.status ?? AgentStatus.Active,
    });
    const saved = await this.agents.save(agent);
    await this.runs.sync(saved);
    await this.record(principal, saved, 'agent_created', `Agent ${saved.name} created`);
    return toAgentResponse(saved);
  }

  async update(principal: Principal, id: string, dto: UpdateAgentDto): Promise<AgentResponseDto> {
    const agent = await this.find(principal.workspaceId, id);
    await this.assertWritable(principal.workspaceId, agent);
    if (dto.provider !== undefined || dto.model !== undefined) {
      // A new provider without a model takes that provider's default model.
      const provider = dto.provider ?? agent.provider;
      const model = dto.model ?? (dto.provider !== undefined ? undefined : agent.model);
      Object.assign(agent, this.resolveModel(provider, model));
    }
    if (dto.name !== undefined) agent.name = dto.name;
    if (dto.type !== undefined) agent.type = dto.type;
    if (dto.systemPrompt !== undefined) agent.systemPrompt = dto.systemPrompt;
    if (dto.tools !== undefined) agent.tools = dto.tools;
    if (dto.trigger !== undefined) Object.assign(agent, checkTrigger(dto.trigger));
    if (dto.limits !== undefined) applyLimits(agent, dto.limits);
    if (dto.status !== undefined) {
      if (agent.status === AgentStatus.Error && dto.status === AgentStatus.Active) throw inError();
      agent.status = dto.status;
    }
    const saved = await this.agents.save(agent);
    await this.runs.sync(saved);
    await this.record(principal, saved, 'agent_updated', `Agent ${saved.name} updated`);
    return toAgentResponse(saved);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const agent = await this.find(principal.workspaceId, id);
    await this.agents.delete(principal.workspaceId, agent.id);
    await this.runs.unschedule(agent.id);
    await this.record(principal, agent, 'agent_deleted', `Agent ${agent.name} deleted`);
  }

  /** Activates or deactivates; `error` is the runner's to set, and restart's to clear. */
  async setStatus(principal: Principal, id: string, status: AgentStatus): Promise<AgentResponseDto> {
    if (status !== AgentStatus.Active && status !== AgentStatus.Inactive) {
      throw badRequest('AGENT_STATUS_INVALID', 'status must be active or inactive', [
        { field: 'status', message: 'must be active or inactive' },
      ]);
    }
    const agent = await this.find(principal.workspaceId, id);
    await this.assertWritable(principal.workspaceId, agent);
    if (agent.status === AgentStatus.Error && status === AgentStatus.Active) throw inError();
    if (agent.status !== status) {
      await this.agents.update(agent.id, { status });
      agent.status = status;
      await this.record(principal, agent, 'agent_status_changed', `Agent ${agent.name} is now ${status}`);
    }
    await this.runs.sync(agent);
    return this.get(principal.workspaceId, agent.id);
  }

  /** Clears the error (and the failure count), activates the agent and queues a run. */
  async restart(principal: Principal, id: string): Promise<JobAcceptedResponseDto> {
    const agent = await this.find(principal.workspaceId, id);
    await this.assertWritable(principal.workspaceId, agent);
    await this.agents.update(agent.id, { status: AgentStatus.Active, errorReason: null, consecutiveFailures: 0 });
    Object.assign(agent, { status: AgentStatus.Active, errorReason: null, consecutiveFailures: 0 });
    await this.runs.sync(agent);
    await this.record(principal, agent, 'agent_restarted', `Agent ${agent.name} restarted`);
    return (await this.runs.queue(agent, { trigger: AgentRunTrigger.Restart, userId: principal.userId || null }))!;
  }

  /** Queues a run now, whatever the trigger (an inactive agent too); refused while in error. */
  async run(principal: Principal, id: string): Promise<JobAcceptedResponseDto> {
    const agent = await this.find(principal.workspaceId, id);
    await this.assertWritable(principal.workspaceId, agent);
    if (agent.status === AgentStatus.Error) throw inError();
    return (await this.runs.queue(agent, { trigger: AgentRunTrigger.Manual, userId: principal.userId || null }))!;
  }

  async listLogs(
    workspaceId: string,
    id: string,
    query: ListAgentLogsQueryDto,
  ): Promise<CursorPaginated<AgentLogResponseDto>> {
    const agent = await this.find(workspaceId, id);
    const filter = { level: query.level, runId: query.runId };
    return queryBuilderList(this.logs.listQuery(workspaceId, agent.id, filter), {
      codec: this.cursors,
      // Bound to the agent too: a cursor of another agent's log is refused.
      scope: `${workspaceId}:agent-logs/${agent.id}:createdAt:desc`,
      request: query,
      order: AGENT_LOG_ORDER,
      map: toAgentLogResponse,
    });
  }

  /** The plan's agents limit (GET /api/billing/subscription); existing agents are kept on a downgrade. */
  private async assertAgentAllowed(workspaceId: string): Promise<void> {
    const { agents: allowed } = await this.plans.limitsOf(workspaceId);
    if (allowed === null) return;
    const used = await this.agents.count(workspaceId);
    if (used >= allowed) {
      throw forbidden('AGENT_LIMIT_REACHED', `The plan allows ${allowed} agents and the workspace has ${used}`, [
        { field: 'agents', message: `${used} of ${allowed} agents used: upgrade the plan or delete an agent` },
      ]);
    }
  }

  private async find(workspaceId: string, id: string): Promise<AgentEntity> {
    const agent = await this.agents.findOne(workspaceId, id);
    if (!agent) throw notFound('AGENT_NOT_FOUND', 'Agent not found in this workspace');
    return agent;
  }

  /** The provider and model, checked against AI_PROVIDERS (400 naming the known ones). */
  private resolveModel(provider?: string, model?: string): { provider: string; model: string } {
    const resolved = this.providers.resolve(provider, model);
    return { provider: resolved.runtime.config.name, model: resolved.model };
  }

  private record(principal: Principal, agent: AgentEntity, action: string, message: string) {
    return this.audit.record({
      type: LogType.Agent,
      action,
      message,
      workspaceId: principal.workspaceId,
      userId: principal.userId || null,
      apiKeyId: principal.apiKeyId ?? null,
      metadata: { agentId: agent.id, agentName: agent.name },
    });
  }
}

/** The trigger columns; a schedule needs a valid cron pattern, an event trigger an event type. */
function checkTrigger(dto: AgentTriggerDto): Pick<AgentEntity, 'triggerType' | 'schedule' | 'eventType'> {
  if (dto.type === AgentTriggerType.Schedule) {
    if (!dto.schedule) throw invalidTrigger('trigger.schedule', 'a cron pattern is required for a schedule trigger');
    const problem = cronProblem(dto.schedule, { seconds: true });
    if (problem)
      throw invalidTrigger('trigger.schedule', `"${dto.schedule}" is not a valid cron pattern (UTC): ${problem}`);
    return { triggerType: dto.type, schedule: dto.schedule, eventType: null };
  }
  if (dto.type === AgentTriggerType.Event) {
    if (!dto.eventType) throw invalidTrigger('trigger.eventType', 'an event type is required for an event trigger');
    return { triggerType: dto.type, schedule: null, eventType: dto.eventType };
  }
  return { triggerType: dto.type, schedule: null, eventType: null };
}

function applyLimits(agent: AgentEntity, limits: AgentLimitsDto): void {
  agent.runsPerDay = limits.runsPerDay ?? DEFAULT_RUNS_PER_DAY;
  agent.tokensPerRun = limits.tokensPerRun ?? DEFAULT_TOKENS_PER_RUN;
}

const inError = () => conflict('AGENT_IN_ERROR', 'The agent is in error; restart it with POST /api/agents/:id/restart');

const invalidTrigger = (field: string, message: string) =>
  badRequest('AGENT_TRIGGER_INVALID', `Invalid trigger: ${message}`, [{ field, message }]);

export function toAgentResponse(agent: AgentEntity, readOnly = false): AgentResponseDto {
  return {
    id: agent.id,
    name: agent.name,
    type: agent.type,
    provider: agent.provider,
    model: agent.model,
    systemPrompt: agent.systemPrompt,
    tools: agent.tools,
    trigger: { type: agent.triggerType, schedule: agent.schedule, eventType: agent.eventType },
    limits: { runsPerDay: agent.runsPerDay, tokensPerRun: agent.tokensPerRun },
    status: agent.status,
    errorReason: agent.errorReason,
    consecutiveFailures: agent.consecutiveFailures,
    readOnly,
    readOnlyReason: readOnly ? AgentReadOnlyReason.PlanAgentLimit : null,
    lastRunAt: agent.lastRunAt?.toISOString() ?? null,
    createdAt: agent.createdAt.toISOString(),
    updatedAt: agent.updatedAt.toISOString(),
  };
}

export function toAgentLogResponse(log: AgentLogEntity): AgentLogResponseDto {
  return {
    id: log.id,
    runId: log.runId,
    level: log.level,
    message: log.message,
    data: log.data,
    createdAt: log.createdAt.toISOString(),
  };
}
