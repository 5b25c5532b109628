import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  CampaignLeadParamsDto,
  CampaignLeadResponseDto,
  EnrollLeadsDto,
  EnrollLeadsResponseDto,
  ListCampaignLeadsQueryDto,
  UpdateCampaignLeadDto,
} from './campaign-leads.dto';
import { CampaignLeadsService } from './campaign-leads.service';

@ApiTags('campaigns')
@Controller('campaigns/:id/leads')
export class CampaignLeadsController {
  constructor(private readonly enrollments: CampaignLeadsService) {}

  @Get()
  @RequirePermissions(Permission.CampaignsRead)
  @ApiOperation({ summary: 'The leads enrolled in a campaign, most recently enrolled first' })
  @ApiCursorPaginatedResponse(CampaignLeadResponseDto)
  @ApiErrors(400, 404)
  listCampaignLeads(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Query() query: ListCampaignLeadsQueryDto,
  ): Promise<CursorPaginated<CampaignLeadResponseDto>> {
    return this.enrollments.list(principal.workspaceId, params.id, query);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({
    summary: 'Enroll leads (1 to 1000); already enrolled ones are skipped and counted',
    description:
      'All or nothing: a lead missing from the workspace answers 404 LEAD_NOT_FOUND listing every such id in ' +
      'details. 409 CAMPAIGN_NOT_ENROLLABLE for a completed or archived campaign. Each enrolled lead gets an ' +
      'enrolled timeline event.',
  })
  @ApiOkResponse({ type: EnrollLeadsResponseDto })
  @ApiErrors(400, 404, 409)
  enrollCampaignLeads(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: EnrollLeadsDto,
  ): Promise<EnrollLeadsResponseDto> {
    return this.enrollments.enroll(principal, params.id, dto);
  }

  @Put(':leadId')
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({
    summary: 'Advance an enrollment’s stage and/or set its attributed revenue',
    description:
      '409 INVALID_STAGE_TRANSITION for a step back; 400 REVENUE_REQUIRES_CONVERSION for revenue on an enrollment ' +
      'that is not converted. Contacted sets the lead’s lastContactedAt; converted sets the lead’s status.',
  })
  @ApiOkResponse({ type: CampaignLeadResponseDto })
  @ApiErrors(400, 404, 409)
  updateCampaignLead(
    @CurrentPrincipal() principal: Principal,
    @Param() params: CampaignLeadParamsDto,
    @Body() dto: UpdateCampaignLeadDto,
  ): Promise<CampaignLeadResponseDto> {
    return this.enrollments.update(principal, params.id, params.leadId, dto);
  }

  @Delete(':leadId')
  @HttpCode(204)
  @RequirePermissions(Permission.CampaignsWrite)
  @ApiOperation({ summary: 'Unenroll a lead (an unenrolled timeline event is written). No body (204).' })
  @ApiNoContentResponse({ description: 'Unenrolled' })
  @ApiErrors(400, 404)
  unenrollCampaignLead(
    @CurrentPrincipal() principal: Principal,
    @Param() params: CampaignLeadParamsDto,
  ): Promise<void> {
    return this.enrollments.remove(principal, params.id, params.leadId);
  }
}
