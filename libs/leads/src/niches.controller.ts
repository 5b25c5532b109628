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
  CreateNicheDto,
  ListNichesQueryDto,
  NicheRecommendationsResponseDto,
  NicheResponseDto,
  NicheStatsResponseDto,
  UpdateNicheDto,
} from './niches.dto';
import { NichesService } from './niches.service';

@ApiTags('niches')
@Controller('niches')
export class NichesController {
  constructor(private readonly niches: NichesService) {}

  @Get()
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({ summary: 'List the workspace’s niches with their lead counts; search name or description' })
  @ApiCursorPaginatedResponse(NicheResponseDto)
  @ApiErrors(400)
  listNiches(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListNichesQueryDto,
  ): Promise<CursorPaginated<NicheResponseDto>> {
    return this.niches.list(principal.workspaceId, query);
  }

  @Post()
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({ summary: 'Create a niche', description: '409 NICHE_NAME_TAKEN when the name (any case) is taken.' })
  @ApiCreatedResponse({ type: NicheResponseDto })
  @ApiErrors(400, 409)
  createNiche(@CurrentPrincipal() principal: Principal, @Body() dto: CreateNicheDto): Promise<NicheResponseDto> {
    return this.niches.create(principal.workspaceId, dto);
  }

  @Get(':id')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({ summary: 'A niche with its lead count' })
  @ApiOkResponse({ type: NicheResponseDto })
  @ApiErrors(400, 404)
  getNiche(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<NicheResponseDto> {
    return this.niches.get(principal.workspaceId, params.id);
  }

  @Put(':id')
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({ summary: 'Change a niche: only the fields sent change', description: '409 NICHE_NAME_TAKEN.' })
  @ApiOkResponse({ type: NicheResponseDto })
  @ApiErrors(400, 404, 409)
  updateNiche(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: UpdateNicheDto,
  ): Promise<NicheResponseDto> {
    return this.niches.update(principal.workspaceId, params.id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({ summary: 'Delete a niche; its leads stay, with no niche. No body (204).' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404)
  deleteNiche(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<void> {
    return this.niches.remove(principal.workspaceId, params.id);
  }

  @Get(':id/stats')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    summary: 'The niche’s leads by status, total, conversion rate (converted / total) and average score',
  })
  @ApiOkResponse({ type: NicheStatsResponseDto })
  @ApiErrors(400, 404)
  getNicheStats(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<NicheStatsResponseDto> {
    return this.niches.stats(principal.workspaceId, params.id);
  }

  @Get(':id/recommendations')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    summary: 'Advice computed from the niche’s own leads: best sources, stale leads to re-contact, next actions',
    description:
      'Sources ranked by conversion rate; open leads (not converted nor lost) with no contact for 30 days; ' +
      'each action quotes the figures it is derived from.',
  })
  @ApiOkResponse({ type: NicheRecommendationsResponseDto })
  @ApiErrors(400, 404)
  getNicheRecommendations(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
  ): Promise<NicheRecommendationsResponseDto> {
    return this.niches.recommendations(principal.workspaceId, params.id);
  }
}
