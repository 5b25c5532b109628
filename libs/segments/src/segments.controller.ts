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
  CreateSegmentDto,
  ListSegmentsQueryDto,
  PreviewSegmentDto,
  SegmentLeadsResponseDto,
  SegmentFieldsResponseDto,
  SegmentListResponseDto,
  SegmentPreviewResponseDto,
  SegmentResponseDto,
  UpdateSegmentDto,
} from './segments.dto';
import { SegmentsService } from './segments.service';

const rulesHelp =
  'Rules: {combinator: and|or, rules: [{field, operator, value} | nested group]}, at most 3 groups deep and ' +
  '50 rules; a bad rule answers 400 INVALID_SEGMENT_RULES with its path (e.g. rules.rules[1].value) in details.';
const foreignRuleIds =
  'A nicheId or ownerId rule value that is not this workspace’s answers 404 NICHE_NOT_FOUND or OWNER_NOT_MEMBER ' +
  '(nothing stored).';

// Routes under /marketing answer the `{success, data, metadata}` envelope and page by page/pageSize (or a cursor).
@ApiTags('segments')
@Controller('marketing/segments')
export class SegmentsController {
  constructor(private readonly segments: SegmentsService) {}

  @Get()
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    summary:
      'List the workspace’s segments by name, each with its live leadCount (exact up to 10 000, then an estimate)',
  })
  @ApiOkResponse({ type: SegmentListResponseDto })
  @ApiErrors(400)
  listSegments(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListSegmentsQueryDto,
  ): Promise<SegmentListResponseDto> {
    return this.segments.list(principal.workspaceId, query);
  }

  @Post()
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({
    summary: 'Save a segment (a dynamic filter over leads)',
    description: `${rulesHelp} 409 SEGMENT_NAME_TAKEN. ${foreignRuleIds}`,
  })
  @ApiCreatedResponse({ type: SegmentResponseDto })
  @ApiErrors(400, 404, 409)
  createSegment(@CurrentPrincipal() principal: Principal, @Body() dto: CreateSegmentDto): Promise<SegmentResponseDto> {
    return this.segments.create(principal, dto);
  }

  @Post('preview')
  @HttpCode(200)
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({ summary: 'Count and first leads of an unsaved rule tree', description: rulesHelp })
  @ApiOkResponse({ type: SegmentPreviewResponseDto })
  @ApiErrors(400)
  previewSegment(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: PreviewSegmentDto,
  ): Promise<SegmentPreviewResponseDto> {
    return this.segments.preview(principal.workspaceId, dto);
  }

  // Before :id, which would take "fields" as an id.
  @Get('fields')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    summary:
      'What a rule may test: lead fields, their types, the operators of each type, the workspace’s custom fields',
    description: 'The catalogue the rule checks use, for building rule forms; custom field keys come from the leads.',
  })
  @ApiOkResponse({ type: SegmentFieldsResponseDto })
  listSegmentFields(@CurrentPrincipal() principal: Principal): Promise<SegmentFieldsResponseDto> {
    return this.segments.fields(principal.workspaceId);
  }

  @Get(':id')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({ summary: 'A segment with its live leadCount' })
  @ApiOkResponse({ type: SegmentResponseDto })
  @ApiErrors(400, 404)
  getSegment(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<SegmentResponseDto> {
    return this.segments.get(principal.workspaceId, params.id);
  }

  @Put(':id')
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({
    summary: 'Change a segment: only the fields sent change',
    description: `${rulesHelp} 409 SEGMENT_NAME_TAKEN. ${foreignRuleIds}`,
  })
  @ApiOkResponse({ type: SegmentResponseDto })
  @ApiErrors(400, 404, 409)
  updateSegment(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: UpdateSegmentDto,
  ): Promise<SegmentResponseDto> {
    return this.segments.update(principal, params.id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({ summary: 'Delete a segment (its leads are untouched). No body (204).' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404)
  deleteSegment(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<void> {
    return this.segments.remove(principal, params.id);
  }

  @Get(':id/leads')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({ summary: 'The leads matching a segment now, newest first; q searches name and e-mail' })
  @ApiOkResponse({ type: SegmentLeadsResponseDto })
  @ApiErrors(400, 404)
  listSegmentLeads(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Query() query: ListSegmentsQueryDto,
  ): Promise<SegmentLeadsResponseDto> {
    return this.segments.leadsOf(principal.workspaceId, params.id, query);
  }
}
