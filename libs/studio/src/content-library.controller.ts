import { Body, Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  ApiCursorPaginatedResponse,
  ApiErrors,
  CurrentPrincipal,
  type CursorPaginated,
  Permission,
  Principal,
  multipartBody,
  RateLimit,
  RequirePermissions,
} from '@crescendo/platform';
import { AssetResponseDto, CreateTextAssetDto, ListAssetsQueryDto, UploadResponseDto } from './studio.dto';
import { StudioService } from './studio.service';

const listSummary = 'The content library (media assets and text pieces), newest first, filtered by kind/folder/tag/q';

/** The content library: the studio's asset store seen as a library of media and text pieces. */
@ApiTags('studio')
@Controller('content')
export class ContentLibraryController {
  constructor(private readonly studio: StudioService) {}

  @Get('library')
  @RequirePermissions(Permission.ContentRead)
  @ApiOperation({ summary: listSummary })
  @ApiCursorPaginatedResponse(AssetResponseDto)
  @ApiErrors(400)
  listLibrary(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListAssetsQueryDto,
  ): Promise<CursorPaginated<AssetResponseDto>> {
    return this.studio.list(principal.workspaceId, query);
  }

  @Post('library')
  @RequirePermissions(Permission.ContentWrite)
  @ApiOperation({ summary: 'Add a text piece to the library (media files go through POST /api/studio/upload)' })
  @ApiCreatedResponse({ type: AssetResponseDto })
  @ApiErrors(400)
  addToLibrary(@CurrentPrincipal() principal: Principal, @Body() dto: CreateTextAssetDto): Promise<AssetResponseDto> {
    return this.studio.createText(principal, dto);
  }
}

/** The content-creation asset routes, over the same asset store. */
@ApiTags('studio')
@Controller('content-creation')
export class ContentCreationAssetsController {
  constructor(private readonly studio: StudioService) {}

  @Get('assets')
  @RequirePermissions(Permission.ContentRead)
  @ApiOperation({ summary: listSummary })
  @ApiCursorPaginatedResponse(AssetResponseDto)
  @ApiErrors(400)
  listCreationAssets(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListAssetsQueryDto,
  ): Promise<CursorPaginated<AssetResponseDto>> {
    return this.studio.list(principal.workspaceId, query);
  }

  @Post('assets')
  @RequirePermissions(Permission.ContentWrite)
  @ApiOperation({ summary: 'Create a text asset (media files go through POST /api/content-creation/upload)' })
  @ApiCreatedResponse({ type: AssetResponseDto })
  @ApiErrors(400)
  createCreationAsset(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateTextAssetDto,
  ): Promise<AssetResponseDto> {
    return this.studio.createText(principal, dto);
  }

  @Post('upload')
  @HttpCode(200)
  @RequirePermissions(Permission.ContentWrite)
  @RateLimit('upload')
  @ApiOperation({
    summary: 'Upload a media file (same rules and answer as POST /api/studio/upload)',
    description:
      'Type read from the file’s bytes (415 UNSUPPORTED_FILE_TYPE otherwise); 400 FILE_TOO_LARGE above ' +
      'STUDIO_UPLOAD_MAX_BYTES; 400 FILE_EMPTY.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary' },
        title: { type: 'string', maxLength: 255 },
        folder: { type: 'string', maxLength: 255 },
        tags: { type: 'string', description: 'Comma-separated' },
      },
    },
  })
  @ApiOkResponse({ type: UploadResponseDto })
  @ApiErrors(400, 413, 415)
  uploadCreationAsset(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<UploadResponseDto> {
    return this.studio.upload(principal, multipartBody(request));
  }
}
