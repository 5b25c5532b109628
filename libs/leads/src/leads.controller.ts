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
  BulkLeadsDto,
  BulkLeadsResponseDto,
  CreateLeadDto,
  LeadDetailResponseDto,
  LeadResponseDto,
  LeadStatusParamDto,
  ListLeadsByStatusQueryDto,
  ListLeadsQueryDto,
  UpdateLeadDto,
} from './leads.dto';
import { LeadsService } from './leads.service';
import { LeadsBulkService } from './leads-bulk.service';

// Static routes (status/:status, and any later export/import) are declared before `:id`, which is a UUID.
@ApiTags('leads')
@Controller('leads')
export class LeadsController {
  constructor(
    private readonly leads: LeadsService,
    private readonly bulk: LeadsBulkService,
  ) {}

  @Get()
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    summary: 'List the workspace’s leads; filter by status, niche, tag, source, score, creation date; search; sort',
  })
  @ApiCursorPaginatedResponse(LeadResponseDto)
  @ApiErrors(400)
  listLeads(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListLeadsQueryDto,
  ): Promise<CursorPaginated<LeadResponseDto>> {
    return this.leads.list(principal.workspaceId, query);
  }

  @Post()
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({
    summary: 'Create a lead; its timeline starts with a created event',
    description:
      '409 LEAD_EMAIL_TAKEN when another lead of the workspace has the e-mail; 404 NICHE_NOT_FOUND for a foreign ' +
      'niche, 404 OWNER_NOT_MEMBER for an owner who is not a member (nothing stored).',
  })
  @ApiCreatedResponse({ type: LeadDetailResponseDto })
  @ApiErrors(400, 404, 409)
  createLead(@CurrentPrincipal() principal: Principal, @Body() dto: CreateLeadDto): Promise<LeadDetailResponseDto> {
    return this.leads.create(principal, dto);
  }

  @Post('bulk')
  @HttpCode(200)
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({
    summary: 'One action on 1 to 1000 leads at once (set a status, delete, restore), all or nothing',
    description:
      'One transaction: every lead changes or none does. Each lead gets what the per-lead route gives it: ' +
      'update (changes.status) writes updated (lastContactedAt, when becoming contacted) and status_changed ' +
      'timeline events and publishes lead.updated and lead.status_changed, as PUT /api/leads/:id; delete soft-deletes ' +
      '(restorable for 30 days), with a deleted event, an audit entry and lead.deleted, as DELETE /api/leads/:id; ' +
      'restore brings back deleted leads with a restored event and an audit entry, as POST /api/leads/:id/restore. ' +
      'Leads already that way (that status; not deleted, for restore) are left untouched and listed in ' +
      'unchangedIds. 404 LEAD_NOT_FOUND, listing every such id in details, when an id is not a lead of the ' +
      'workspace, is deleted (update, delete) or was deleted more than 30 days ago (restore): nothing changes. ' +
      '409 LEAD_EMAIL_TAKEN (restore) when a lead’s e-mail has been taken meanwhile, listing those leads.',
  })
  @ApiOkResponse({ type: BulkLeadsResponseDto })
  @ApiErrors(400, 404, 409)
  bulkLeads(@CurrentPrincipal() principal: Principal, @Body() dto: BulkLeadsDto): Promise<BulkLeadsResponseDto> {
    return this.bulk.bulk(principal, dto);
  }

  @Get('status/:status')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({ summary: 'List the leads with one status (same filters, sort and pages as GET /api/leads)' })
  @ApiCursorPaginatedResponse(LeadResponseDto)
  @ApiErrors(400)
  listLeadsByStatus(
    @CurrentPrincipal() principal: Principal,
    @Param() params: LeadStatusParamDto,
    @Query() query: ListLeadsByStatusQueryDto,
  ): Promise<CursorPaginated<LeadResponseDto>> {
    return this.leads.list(principal.workspaceId, Object.assign(query, { status: params.status }));
  }

  @Get(':id')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({ summary: 'A lead with its timeline, newest event first' })
  @ApiOkResponse({ type: LeadDetailResponseDto })
  @ApiErrors(400, 404)
  getLead(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<LeadDetailResponseDto> {
    return this.leads.get(principal.workspaceId, params.id);
  }

  @Put(':id')
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({
    summary: 'Change a lead: only the fields sent change; null clears a nullable field',
    description:
      'Changes are recorded on the timeline (updated, with from/to per field); a status change is a ' +
      'status_changed event {from, to}. Becoming contacted sets lastContactedAt to now unless it is sent. ' +
      '404 NICHE_NOT_FOUND / OWNER_NOT_MEMBER for a nicheId or ownerId not of this workspace (nothing changes).',
  })
  @ApiOkResponse({ type: LeadDetailResponseDto })
  @ApiErrors(400, 404, 409)
  updateLead(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: UpdateLeadDto,
  ): Promise<LeadDetailResponseDto> {
    return this.leads.update(principal, params.id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({
    summary: 'Delete a lead (soft: restorable for 30 days with POST /api/leads/:id/restore). No body (204).',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404)
  deleteLead(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<void> {
    return this.leads.remove(principal, params.id);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({
    summary: 'Restore a lead deleted less than 30 days ago (404 after that); a lead not deleted is returned as is',
    description: '409 LEAD_EMAIL_TAKEN when another lead has taken its e-mail meanwhile.',
  })
  @ApiOkResponse({ type: LeadDetailResponseDto })
  @ApiErrors(400, 404, 409)
  restoreLead(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<LeadDetailResponseDto> {
    return this.leads.restore(principal, params.id);
  }
}
