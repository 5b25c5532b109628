import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
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
  CannedResponseListResponseDto,
  CannedResponseResponseDto,
  CreateCannedResponseDto,
  ListCannedResponsesQueryDto,
  RenderCannedResponseDto,
  RenderedCannedResponseDto,
  UpdateCannedResponseDto,
} from './canned-responses.dto';
import { CannedResponsesService } from './canned-responses.service';

// Part of the fan inbox: leads:read / leads:write, like conversations.
@ApiTags('chatbot')
@Controller('chatbot/canned-responses')
export class CannedResponsesController {
  constructor(private readonly responses: CannedResponsesService) {}

  @Get()
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({ summary: 'Canned responses, by name' })
  @ApiOkResponse({ type: CannedResponseListResponseDto })
  @ApiErrors(400)
  listCannedResponses(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListCannedResponsesQueryDto,
  ): Promise<CannedResponseListResponseDto> {
    return this.responses.list(principal.workspaceId, query);
  }

  @Post()
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({
    summary: 'Create a canned response',
    description: '400 UNKNOWN_TEMPLATE_VARIABLE; 409 CANNED_RESPONSE_NAME_TAKEN',
  })
  @ApiCreatedResponse({ type: CannedResponseResponseDto })
  @ApiErrors(400, 409)
  createCannedResponse(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateCannedResponseDto,
  ): Promise<CannedResponseResponseDto> {
    return this.responses.create(principal.workspaceId, dto);
  }

  @Get(':id')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({ summary: 'One canned response' })
  @ApiOkResponse({ type: CannedResponseResponseDto })
  @ApiErrors(400, 404)
  getCannedResponse(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
  ): Promise<CannedResponseResponseDto> {
    return this.responses.get(principal.workspaceId, params.id);
  }

  @Put(':id')
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({
    summary: 'Change a canned response (only the fields sent)',
    description: '400 UNKNOWN_TEMPLATE_VARIABLE; 409 CANNED_RESPONSE_NAME_TAKEN',
  })
  @ApiOkResponse({ type: CannedResponseResponseDto })
  @ApiErrors(400, 404, 409)
  updateCannedResponse(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: UpdateCannedResponseDto,
  ): Promise<CannedResponseResponseDto> {
    return this.responses.update(principal.workspaceId, params.id, dto);
  }

  @Delete(':id')
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({ summary: 'Delete a canned response; answers the deleted record' })
  @ApiOkResponse({ type: CannedResponseResponseDto })
  @ApiErrors(400, 404)
  deleteCannedResponse(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
  ): Promise<CannedResponseResponseDto> {
    return this.responses.remove(principal.workspaceId, params.id);
  }

  @Post(':id/render')
  @HttpCode(200)
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    summary: 'Render a canned response for a conversation’s fan and the current time (workspace time zone)',
    description: 'Writes nothing; 404 for an unknown canned response or conversation.',
  })
  @ApiOkResponse({ type: RenderedCannedResponseDto })
  @ApiErrors(400, 404)
  renderCannedResponse(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: RenderCannedResponseDto,
  ): Promise<RenderedCannedResponseDto> {
    return this.responses.render(principal.workspaceId, params.id, dto);
  }
}
