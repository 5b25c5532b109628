import { Body, Controller, Delete, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrors,
  CurrentPrincipal,
  IdParamDto,
  Permission,
  Principal,
  RequirePermissions,
} from '@crescendo/platform';
import {
  AutoReplyRuleListResponseDto,
  AutoReplyRuleResponseDto,
  CreateAutoReplyRuleDto,
  ListAutoReplyRulesQueryDto,
  UpdateAutoReplyRuleDto,
  UpdateAutoReplyRuleWithIdDto,
} from './auto-reply.dto';
import { AutoReplyRulesService } from './auto-reply-rules.service';

const saveErrors =
  '400 REGEX_INVALID / REGEX_UNSAFE (pattern), UNKNOWN_TEMPLATE_VARIABLE (template), INVALID_ACTIVE_HOURS, ' +
  'VALIDATION_FAILED (a field the match/reply type needs is missing); 409 AUTO_REPLY_RULE_NAME_TAKEN.';

// Auto-reply rules are automated agents answering fans: agents:read / agents:write.
@ApiTags('chatbot')
@Controller('chatbot/auto-reply')
export class AutoReplyController {
  constructor(private readonly rules: AutoReplyRulesService) {}

  @Get()
  @RequirePermissions(Permission.AgentsRead)
  @ApiOperation({ summary: 'Auto-reply rules in the order they are tried: priority (higher first), then oldest' })
  @ApiOkResponse({ type: AutoReplyRuleListResponseDto })
  @ApiErrors(400)
  listAutoReplyRules(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListAutoReplyRulesQueryDto,
  ): Promise<AutoReplyRuleListResponseDto> {
    return this.rules.list(principal.workspaceId, query);
  }

  @Post()
  @RequirePermissions(Permission.AgentsWrite)
  @ApiOperation({ summary: 'Create an auto-reply rule', description: saveErrors })
  @ApiCreatedResponse({ type: AutoReplyRuleResponseDto })
  @ApiErrors(400, 409)
  createAutoReplyRule(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateAutoReplyRuleDto,
  ): Promise<AutoReplyRuleResponseDto> {
    return this.rules.create(principal.workspaceId, dto);
  }

  @Put()
  @RequirePermissions(Permission.AgentsWrite)
  @ApiOperation({
    summary: 'Change the rule whose `id` is in the body (documented form; same as PUT /:id)',
    description: `Only the fields sent change; null clears a nullable field. ${saveErrors}`,
  })
  @ApiOkResponse({ type: AutoReplyRuleResponseDto })
  @ApiErrors(400, 404, 409)
  updateAutoReplyRuleFromBody(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: UpdateAutoReplyRuleWithIdDto,
  ): Promise<AutoReplyRuleResponseDto> {
    return this.rules.update(principal.workspaceId, dto.id, dto);
  }

  @Get(':id')
  @RequirePermissions(Permission.AgentsRead)
  @ApiOperation({ summary: 'One auto-reply rule' })
  @ApiOkResponse({ type: AutoReplyRuleResponseDto })
  @ApiErrors(400, 404)
  getAutoReplyRule(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
  ): Promise<AutoReplyRuleResponseDto> {
    return this.rules.get(principal.workspaceId, params.id);
  }

  @Put(':id')
  @RequirePermissions(Permission.AgentsWrite)
  @ApiOperation({
    summary: 'Change an auto-reply rule',
    description: `Only the fields sent change; null clears a nullable field. ${saveErrors}`,
  })
  @ApiOkResponse({ type: AutoReplyRuleResponseDto })
  @ApiErrors(400, 404, 409)
  updateAutoReplyRule(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: UpdateAutoReplyRuleDto,
  ): Promise<AutoReplyRuleResponseDto> {
    return this.rules.update(principal.workspaceId, params.id, dto);
  }

  @Delete(':id')
  @RequirePermissions(Permission.AgentsWrite)
  @ApiOperation({
    summary: 'Delete an auto-reply rule; its past replies keep their text, autoReplyRuleId becomes null',
  })
  @ApiOkResponse({ type: AutoReplyRuleResponseDto })
  @ApiErrors(400, 404)
  deleteAutoReplyRule(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
  ): Promise<AutoReplyRuleResponseDto> {
    return this.rules.remove(principal.workspaceId, params.id);
  }
}
