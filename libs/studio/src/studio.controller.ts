import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Headers,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiHeader,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiCursorPaginatedResponse,
  ApiErrors,
  CurrentPrincipal,
  type CursorPaginated,
  IdParamDto,
  Permission,
  Principal,
  Public,
  multipartBody,
  RateLimit,
  RequirePermissions,
} from '@crescendo/platform';
import { replyWithAsset } from './asset-reply';
import {
  AssetResponseDto,
  ListAssetsQueryDto,
  SignedFileParamsDto,
  SignedFileQueryDto,
  StorageUsageResponseDto,
  UpdateAssetDto,
  UploadResponseDto,
} from './studio.dto';
import { StudioService } from './studio.service';

@ApiTags('studio')
@Controller('studio')
export class StudioController {
  constructor(private readonly studio: StudioService) {}

  @Post('upload')
  @HttpCode(200)
  @RequirePermissions(Permission.ContentWrite)
  @RateLimit('upload')
  @ApiOperation({
    summary: 'Upload a media file to the workspace’s library',
    description:
      'The file streams to storage. Its type is read from its own first bytes (PNG, JPEG, GIF, WebP, MP4, MOV, ' +
      'WebM, MP3, WAV, OGG, FLAC, M4A, PDF), whatever the declared type or name: anything else is a 415 ' +
      'UNSUPPORTED_FILE_TYPE. Above STUDIO_UPLOAD_MAX_BYTES (100 MB by default) a 400 FILE_TOO_LARGE; ' +
      'an empty file a 400 FILE_EMPTY; past the workspace’s storage quota a 413 STORAGE_QUOTA_EXCEEDED. Nothing ' +
      'is kept of a refused file. Dimensions, duration and codecs are read from the file (ffprobe, sharp), with a ' +
      'thumbnail or poster; an image’s GPS location is removed from the stored file unless keepLocation=true.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary' },
        title: { type: 'string', maxLength: 255, description: 'Defaults to the file name' },
        folder: { type: 'string', maxLength: 255 },
        tags: { type: 'string', description: 'Comma-separated', example: 'intro,spring' },
        keepLocation: { type: 'string', enum: ['true', 'false'], description: 'Keep an image’s GPS EXIF' },
      },
    },
  })
  @ApiOkResponse({ type: UploadResponseDto })
  @ApiErrors(400, 413, 415)
  uploadAsset(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<UploadResponseDto> {
    return this.studio.upload(principal, multipartBody(request));
  }

  @Get('assets')
  @RequirePermissions(Permission.ContentRead)
  @ApiOperation({ summary: 'The workspace’s assets, newest first, by cursor or page, filtered by kind/folder/tag/q' })
  @ApiCursorPaginatedResponse(AssetResponseDto)
  @ApiErrors(400)
  listAssets(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListAssetsQueryDto,
  ): Promise<CursorPaginated<AssetResponseDto>> {
    return this.studio.list(principal.workspaceId, query);
  }

  @Get('assets/:id')
  @RequirePermissions(Permission.ContentRead)
  @ApiOperation({ summary: 'One asset' })
  @ApiOkResponse({ type: AssetResponseDto })
  @ApiErrors(400, 404)
  getAsset(@CurrentPrincipal() principal: Principal, @Param() { id }: IdParamDto): Promise<AssetResponseDto> {
    return this.studio.get(principal.workspaceId, id);
  }

  @Patch('assets/:id')
  @RequirePermissions(Permission.ContentWrite)
  @ApiOperation({ summary: 'Rename an asset, replace its tags or move it to a folder (null: no folder)' })
  @ApiOkResponse({ type: AssetResponseDto })
  @ApiErrors(400, 404)
  updateAsset(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: IdParamDto,
    @Body() dto: UpdateAssetDto,
  ): Promise<AssetResponseDto> {
    return this.studio.update(principal.workspaceId, id, dto);
  }

  @Delete('assets/:id')
  @HttpCode(204)
  @RequirePermissions(Permission.ContentWrite)
  @ApiOperation({ summary: 'Delete an asset and its file' })
  @ApiNoContentResponse()
  @ApiErrors(400, 404)
  deleteAsset(@CurrentPrincipal() principal: Principal, @Param() { id }: IdParamDto): Promise<void> {
    return this.studio.remove(principal.workspaceId, id);
  }

  @Get('assets/:id/download')
  @RequirePermissions(Permission.ContentRead)
  @ApiOperation({
    summary: 'The asset’s file, streamed, with its sniffed type; honours Range (206 Partial Content)',
    description:
      'A single `Range: bytes=a-b` (or `a-`, `-n`) answers 206 with Content-Range, so players seek; a range ' +
      'starting past the end is a 416 RANGE_NOT_SATISFIABLE. Answers carry Accept-Ranges: bytes.',
  })
  @ApiHeader({ name: 'Range', required: false, schema: { type: 'string', example: 'bytes=0-1023' } })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 206, description: 'The range asked', schema: { type: 'string', format: 'binary' } })
  @ApiErrors(400, 404, 416)
  async downloadAsset(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: IdParamDto,
    @Headers('range') range: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    return replyWithAsset(reply, await this.studio.download(principal.workspaceId, id, range));
  }

  @Get('assets/:id/thumbnail')
  @RequirePermissions(Permission.ContentRead)
  @ApiOperation({ summary: 'The asset’s thumbnail (images, WebP) or poster frame (videos, JPEG), at most 320 px' })
  @ApiProduces('image/webp', 'image/jpeg')
  @ApiOkResponse({ description: 'The picture', schema: { type: 'string', format: 'binary' } })
  @ApiErrors(400, 404)
  async getAssetThumbnail(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: IdParamDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    return replyWithAsset(reply, await this.studio.thumbnail(principal.workspaceId, id));
  }

  @Get('files/:id/:variant')
  @Public()
  @ApiOperation({
    summary: 'An asset’s file or thumbnail by its signed link (signedUrl), without credentials; Range honoured',
    description: '403 DOWNLOAD_LINK_INVALID for a wrong signature, 410 DOWNLOAD_LINK_EXPIRED past `expires`.',
  })
  @ApiHeader({ name: 'Range', required: false, schema: { type: 'string', example: 'bytes=0-1023' } })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 206, description: 'The range asked', schema: { type: 'string', format: 'binary' } })
  @ApiErrors(400, 403, 404, 410, 416)
  async getSignedAssetFile(
    @Param() { id, variant }: SignedFileParamsDto,
    @Query() { expires, signature }: SignedFileQueryDto,
    @Headers('range') range: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    // Private: the link is the user's, however long it lives.
    reply.header('Cache-Control', 'private, max-age=3600');
    return replyWithAsset(reply, await this.studio.signedFile(id, variant, expires, signature, range));
  }

  @Get('storage')
  @RequirePermissions(Permission.ContentRead)
  @ApiOperation({
    summary: 'Bytes the workspace’s assets take and its quota (STUDIO_STORAGE_QUOTA_MB, else the plan’s storage)',
  })
  @ApiOkResponse({ type: StorageUsageResponseDto })
  @ApiErrors()
  getStorageUsage(@CurrentPrincipal() principal: Principal): Promise<StorageUsageResponseDto> {
    return this.studio.storageUsage(principal.workspaceId);
  }
}
