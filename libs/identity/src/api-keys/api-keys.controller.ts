import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { ApiKeyResponseDto, CreateApiKeyDto, CreatedApiKeyResponseDto, ListApiKeysQueryDto } from './api-keys.dto';
import { ApiKeysService } from './api-keys.service';

@ApiTags('security')
@Controller('security/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  @RequirePermissions(Permission.ApiKeysManage)
  @ApiOperation({ summary: 'List the workspace API keys (never the secret), newest first, with lastUsedAt' })
  @ApiCursorPaginatedResponse(ApiKeyResponseDto)
  @ApiErrors(400)
  listApiKeys(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListApiKeysQueryDto,
  ): Promise<CursorPaginated<ApiKeyResponseDto>> {
    return this.apiKeys.list(principal.workspaceId, query);
  }

  @Post()
  @RequirePermissions(Permission.ApiKeysManage)
  @ApiOperation({
    summary: 'Create an API key; the secret is in `key`, shown only in this answer',
    description:
      'Send the key as `X-API-Key: crk_…` or `Authorization: Bearer crk_…`. Its scopes must be permissions ' +
      'the creator holds (400 SCOPE_NOT_ALLOWED otherwise). Only the SHA-256 of the key is stored.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyResponseDto })
  @ApiErrors(400)
  createApiKey(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateApiKeyDto,
  ): Promise<CreatedApiKeyResponseDto> {
    return this.apiKeys.create(principal, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions(Permission.ApiKeysManage)
  @ApiOperation({ summary: 'Revoke an API key: it answers 401 from now on. No body (204).' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors(400, 404)
  revokeApiKey(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<void> {
    return this.apiKeys.revoke(principal, params.id);
  }
}
