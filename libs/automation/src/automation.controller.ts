import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrors,
  CurrentPrincipal,
  IdParamDto,
  Permission,
  Principal,
  RequirePermissions,
} from '@crescendo/platform';
import {
  AutomationRuleListResponseDto,
  AutomationRuleResponseDto,
  AutomationRunListResponseDto,
  CreateAutomationRuleDto,
  ListAutomationRulesQueryDto,
  ListAutomationRunsQueryDto,
  SetAutomationStatusDto,
  UpdateAutomationRuleDto,
} from './automation.dto';
import { AutomationService } from './automation.service';

const ruleHelp =
  'Trigger lead.created | lead.status_changed (from, to) | lead.tag_added (tag) | webhook.received | ' +
  'schedule (cron, five fields, UTC); conditions are a segment rule tree the lead must match; actions run in ' +
  'order. 400 INVALID_AUTOMATION_TRIGGER / INVALID_SEGMENT_RULES name the field; ids that are not this ' +
  'workspace’s answer 404, nothing stored: CAMPAIGN_NOT_FOUND (enroll_in_campaign), NICHE_NOT_FOUND and ' +
  'OWNER_NOT_MEMBER (condition values); 409 AUTOMATION_RULE_NAME_TAKEN.';

// Routes under /marketing answer the `{success, data, metadata}` envelope and page by page/pageSize (or a cursor).
@ApiTags('automation')
@Controller('marketing/automation')
export class AutomationController {
  constructor(private readonly automation: AutomationService) {}

  @Get()
  @RequirePermissions(Permission.CampaignsRead)
  @ApiOperation({ summary: 'List the workspace’s automation rules, newest first; filter by status, trigger type' })
  @ApiOkResponse({ type: AutomationRuleListResponseDto })
  @ApiErrors(400)
  listAutomationRules(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListAutomationRulesQueryDto,
  ): Promise<AutomationRuleListResponseDto> {
    return this.automation.list(principal.workspaceId, query);
  }

  @Post()
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({ summary: 'Create an automation rule (active unless status says paused)', description: ruleHelp })
  @ApiCreatedResponse({ type: AutomationRuleResponseDto })
  @ApiErrors(400, 404, 409)
  createAutomationRule(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateAutomationRuleDto,
  ): Promise<AutomationRuleResponseDto> {
    return this.automation.create(principal, dto);
  }

  @Get(':id')
  @RequirePermissions(Permission.CampaignsRead)
  @ApiOperation({ summary: 'An automation rule' })
  @ApiOkResponse({ type: AutomationRuleResponseDto })
  @ApiErrors(400, 404)
  getAutomationRule(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
  ): Promise<AutomationRuleResponseDto> {
    return this.automation.get(principal.workspaceId, params.id);
  }

  @Put(':id')
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({ summary: 'Change an automation rule: only the fields sent change', description: ruleHelp })
  @ApiOkResponse({ type: AutomationRuleResponseDto })
  @ApiErrors(400, 404, 409)
  updateAutomationRule(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: UpdateAutomationRuleDto,
  ): Promise<AutomationRuleResponseDto> {
    return this.automation.update(principal, params.id, dto);
  }

  @Put(':id/status')
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({
    summary: 'Activate or pause a rule; activating resets its failure count and pause reason',
  })
  @ApiOkResponse({ type: AutomationRuleResponseDto })
  @ApiErrors(400, 404)
  setAutomationRuleStatus(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: SetAutomationStatusDto,
  ): Promise<AutomationRuleResponseDto> {
    return this.automation.setStatus(principal, params.id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({ summary: 'Delete a rule, its schedule and its run log. No body (204).' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404)
  deleteAutomationRule(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<void> {
    return this.automation.remove(principal, params.id);
  }

  @Get(':id/runs')
  @RequirePermissions(Permission.CampaignsRead)
  @ApiOperation({ summary: 'The rule’s runs, newest first: status, actions done, error, duration' })
  @ApiOkResponse({ type: AutomationRunListResponseDto })
  @ApiErrors(400, 404)
  listAutomationRuns(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Query() query: ListAutomationRunsQueryDto,
  ): Promise<AutomationRunListResponseDto> {
    return this.automation.listRuns(principal.workspaceId, params.id, query);
  }
}
