import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrors,
  ApiCursorPaginatedResponse,
  CurrentPrincipal,
  IdParamDto,
  CursorPaginated,
  Permission,
  Principal,
  RequirePermissions,
} from '@crescendo/platform';
import {
  CampaignResponseDto,
  CampaignStatsResponseDto,
  CreateCampaignDto,
  ListCampaignsQueryDto,
  UpdateCampaignDto,
  UpdateCampaignStatusDto,
} from './campaigns.dto';
import { CampaignsService } from './campaigns.service';

@ApiTags('campaigns')
@Controller('campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Get()
  @RequirePermissions(Permission.CampaignsRead)
  @ApiOperation({ summary: 'List the workspace’s campaigns; filter by status, type, channel, niche; search; sort' })
  @ApiCursorPaginatedResponse(CampaignResponseDto)
  @ApiErrors(400)
  listCampaigns(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListCampaignsQueryDto,
  ): Promise<CursorPaginated<CampaignResponseDto>> {
    return this.campaigns.list(principal.workspaceId, query);
  }

  @Post()
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({
    summary: 'Create a campaign (status draft)',
    description:
      '409 CAMPAIGN_NAME_TAKEN when the workspace has a campaign with this name; 400 INVALID_CAMPAIGN_WINDOW when ' +
      'endAt < startAt, CURRENCY_REQUIRED for a budget without currency. Ids in the body that are not this ' +
      'workspace’s answer 404 and nothing is stored: NICHE_NOT_FOUND (targetNicheIds), SEGMENT_NOT_FOUND ' +
      '(targetSegmentIds), OWNER_NOT_MEMBER (ownerId).',
  })
  @ApiCreatedResponse({ type: CampaignResponseDto })
  @ApiErrors(400, 404, 409)
  createCampaign(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateCampaignDto,
  ): Promise<CampaignResponseDto> {
    return this.campaigns.create(principal, dto);
  }

  @Get(':id')
  @RequirePermissions(Permission.CampaignsRead)
  @ApiOperation({ summary: 'A campaign' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiErrors(400, 404)
  getCampaign(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<CampaignResponseDto> {
    return this.campaigns.get(principal.workspaceId, params.id);
  }

  @Put(':id')
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({
    summary: 'Change a campaign: only the fields sent change; null clears a nullable field (status: PUT :id/status)',
    description:
      'Ids in the body that are not this workspace’s answer 404 and nothing changes: NICHE_NOT_FOUND ' +
      '(targetNicheIds), SEGMENT_NOT_FOUND (targetSegmentIds), OWNER_NOT_MEMBER (ownerId).',
  })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiErrors(400, 404, 409)
  updateCampaign(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: UpdateCampaignDto,
  ): Promise<CampaignResponseDto> {
    return this.campaigns.update(principal, params.id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({
    summary: 'Delete a campaign and its enrollments. No body (204).',
    description:
      'Only draft, scheduled, paused or archived campaigns: an active or completed one answers 409 ' +
      'CAMPAIGN_NOT_DELETABLE (archive a completed campaign first; its results stay until then).',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404, 409)
  deleteCampaign(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<void> {
    return this.campaigns.remove(principal, params.id);
  }

  @Put(':id/status')
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({
    summary: 'Move a campaign to another status',
    description:
      'Allowed: draft→scheduled|active|archived; scheduled→active|paused|draft|archived; active→paused|completed; ' +
      'paused→active|completed|archived; completed→archived; archived is final. Anything else answers 409 ' +
      'INVALID_STATUS_TRANSITION with the allowed targets in details. Scheduling needs startAt (400 CAMPAIGN_START_REQUIRED).',
  })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiErrors(400, 404, 409)
  updateCampaignStatus(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: UpdateCampaignStatusDto,
  ): Promise<CampaignResponseDto> {
    return this.campaigns.setStatus(principal, params.id, dto.status);
  }

  @Get(':id/stats')
  @RequirePermissions(Permission.CampaignsRead)
  @ApiOperation({
    summary: 'Funnel figures (enrolled, contacted, replied, converted), conversion rate, revenue and a per-day series',
  })
  @ApiOkResponse({ type: CampaignStatsResponseDto })
  @ApiErrors(400, 404)
  getCampaignStats(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
  ): Promise<CampaignStatsResponseDto> {
    return this.campaigns.stats(principal.workspaceId, params.id);
  }
}
