import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AcceptsJob, JobAcceptedResponseDto } from '@crescendo/jobs';
import {
  ApiErrors,
  ApiCursorPaginatedResponse,
  CurrentPrincipal,
  IdParamDto,
  CursorPaginated,
  Permission,
  Principal,
  RateLimit,
  RequirePermissions,
} from '@crescendo/platform';
import {
  AgentLogResponseDto,
  AgentResponseDto,
  CreateAgentDto,
  ListAgentLogsQueryDto,
  ListAgentsQueryDto,
  UpdateAgentDto,
  UpdateAgentStatusDto,
} from './agents.dto';
import { AgentsService } from './agents.service';

@ApiTags('agents')
@Controller('agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Get()
  @RequirePermissions(Permission.AgentsRead)
  @ApiOperation({ summary: 'List the workspace’s AI agents; filter by status and type' })
  @ApiCursorPaginatedResponse(AgentResponseDto)
  @ApiErrors(400)
  listAgents(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListAgentsQueryDto,
  ): Promise<CursorPaginated<AgentResponseDto>> {
    return this.agents.list(principal.workspaceId, query);
  }

  @Post()
  @RequirePermissions(Permission.AgentsWrite)
  @ApiOperation({
    summary: 'Create an agent: type, model, system prompt, tools, trigger (schedule, event or manual) and limits',
    description:
      '400 AI_PROVIDER_UNKNOWN / AI_MODEL_UNKNOWN name the configured providers or models; 400 AGENT_TRIGGER_INVALID ' +
      'for a bad cron pattern or a missing event type; 403 AGENT_LIMIT_REACHED past the plan’s agents; ' +
      '409 AGENT_NAME_TAKEN; 503 when no AI provider is configured. ' +
      'An active scheduled agent gets its cron job scheduler at once.',
  })
  @ApiCreatedResponse({ type: AgentResponseDto })
  @ApiErrors(400, 409, 503)
  createAgent(@CurrentPrincipal() principal: Principal, @Body() dto: CreateAgentDto): Promise<AgentResponseDto> {
    return this.agents.create(principal, dto);
  }

  @Get(':id')
  @RequirePermissions(Permission.AgentsRead)
  @ApiOperation({ summary: 'An agent' })
  @ApiOkResponse({ type: AgentResponseDto })
  @ApiErrors(400, 404)
  getAgent(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<AgentResponseDto> {
    return this.agents.get(principal.workspaceId, params.id);
  }

  @Put(':id')
  @RequirePermissions(Permission.AgentsWrite)
  @ApiOperation({
    summary: 'Change an agent: only the fields sent change; trigger and limits are replaced as a whole',
    description: '409 AGENT_NAME_TAKEN; 409 AGENT_IN_ERROR when activating an agent in error (restart it instead).',
  })
  @ApiOkResponse({ type: AgentResponseDto })
  @ApiErrors(400, 404, 409, 503)
  updateAgent(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: UpdateAgentDto,
  ): Promise<AgentResponseDto> {
    return this.agents.update(principal, params.id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions(Permission.AgentsWrite)
  @ApiOperation({ summary: 'Delete an agent with its runs and logs, and its schedule. No body (204).' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404)
  deleteAgent(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<void> {
    return this.agents.remove(principal, params.id);
  }

  @Put(':id/status')
  @RequirePermissions(Permission.AgentsWrite)
  @ApiOperation({
    summary: 'Activate or deactivate an agent (schedules follow)',
    description: '`error` cannot be set by hand (400); 409 AGENT_IN_ERROR when activating an agent in error.',
  })
  @ApiOkResponse({ type: AgentResponseDto })
  @ApiErrors(400, 404, 409)
  updateAgentStatus(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: UpdateAgentStatusDto,
  ): Promise<AgentResponseDto> {
    return this.agents.setStatus(principal, params.id, dto.status);
  }

  @Post(':id/restart')
  @AcceptsJob()
  @RateLimit('ai')
  @RequirePermissions(Permission.AgentsWrite)
  @ApiOperation({
    summary: 'Restart an agent: clear its error and failure count, activate it and queue a run',
    description: 'The run is a tracked job: follow it with GET /api/jobs/:id (its id is also the run id).',
  })
  @ApiErrors(400, 404, 503)
  restartAgent(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<JobAcceptedResponseDto> {
    return this.agents.restart(principal, params.id);
  }

  @Post(':id/run')
  @AcceptsJob()
  @RateLimit('ai')
  @RequirePermissions(Permission.AgentsWrite)
  @ApiOperation({
    summary: 'Queue a run of the agent now, whatever its trigger',
    description:
      'A tracked job (GET /api/jobs/:id). The worker enforces runsPerDay and tokensPerRun. ' +
      '409 AGENT_IN_ERROR while the agent is in error.',
  })
  @ApiErrors(400, 404, 409, 503)
  runAgent(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<JobAcceptedResponseDto> {
    return this.agents.run(principal, params.id);
  }

  @Get(':id/logs')
  @RequirePermissions(Permission.AgentsRead)
  @ApiOperation({ summary: 'The structured logs of an agent’s runs, newest first; filter by level and run' })
  @ApiCursorPaginatedResponse(AgentLogResponseDto)
  @ApiErrors(400, 404)
  listLogsOfAgent(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Query() query: ListAgentLogsQueryDto,
  ): Promise<CursorPaginated<AgentLogResponseDto>> {
    return this.agents.listLogs(principal.workspaceId, params.id, query);
  }
}
