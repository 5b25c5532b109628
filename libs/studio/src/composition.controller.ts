import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiCursorPaginatedResponse,
  ApiErrors,
  CurrentPrincipal,
  type CursorPaginated,
  Permission,
  Principal,
  RequirePermissions,
} from '@crescendo/platform';
import { AcceptsJob } from '@crescendo/jobs';
import {
  ComposeAcceptedDto,
  ComposeVideoDto,
  ListStudioJobsQueryDto,
  StudioJobDto,
  StudioJobParamsDto,
} from './composition.dto';
import { CompositionService } from './composition.service';

@ApiTags('studio')
@Controller('studio')
export class CompositionController {
  constructor(private readonly composition: CompositionService) {}

  @Post('video/compose')
  @RequirePermissions(Permission.ContentWrite)
  @AcceptsJob(
    'Queued: follow the job at statusUrl (GET /api/studio/jobs/:jobId, or /api/jobs/:id/events)',
    ComposeAcceptedDto,
  )
  @ApiOperation({
    summary: 'Compose a video from the workspace’s clips, with transitions, music, voice-over and subtitles',
    description:
      'The timeline is checked before it is queued: every clip, the music and the voice-over must be the ' +
      'workspace’s own assets (their url or id; anything else is a 400 INVALID_TIMELINE), clips videos or ' +
      'images, in/out points inside the clip, each clip longer than its transitions. The worker runs ffmpeg; ' +
      'its output becomes one video asset (`output.assetId`, `output.videoUrl` of the job).',
  })
  @ApiErrors(400, 401, 403)
  composeVideo(@CurrentPrincipal() principal: Principal, @Body() dto: ComposeVideoDto): Promise<ComposeAcceptedDto> {
    return this.composition.compose(principal, dto);
  }

  @Get('jobs')
  @RequirePermissions(Permission.ContentRead)
  @ApiOperation({ summary: 'My studio jobs, newest first, by cursor or page, filtered by status and type' })
  @ApiCursorPaginatedResponse(StudioJobDto)
  @ApiErrors(400, 401, 403)
  listStudioJobs(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListStudioJobsQueryDto,
  ): Promise<CursorPaginated<StudioJobDto>> {
    return this.composition.listJobs(principal, query);
  }

  @Get('jobs/:jobId')
  @RequirePermissions(Permission.ContentRead)
  @ApiOperation({
    summary: 'A studio job: status (PENDING, PROCESSING, COMPLETED, FAILED, CANCELLED), progress 0–100, output',
  })
  @ApiOkResponse({ type: StudioJobDto })
  @ApiErrors(400, 401, 403, 404)
  getStudioJob(
    @CurrentPrincipal() principal: Principal,
    @Param() { jobId }: StudioJobParamsDto,
  ): Promise<StudioJobDto> {
    return this.composition.getJob(principal.workspaceId, jobId);
  }

  @Post('jobs/:jobId/cancel')
  @HttpCode(200)
  @RequirePermissions(Permission.ContentWrite)
  @ApiOperation({
    summary: 'Cancel a studio job that has not ended',
    description:
      'A queued job never runs; a running one has its ffmpeg killed and its temporary files removed, and keeps ' +
      'no output. Answers the job, CANCELLED. 409 JOB_NOT_CANCELLABLE once it has ended.',
  })
  @ApiOkResponse({ type: StudioJobDto })
  @ApiErrors(400, 401, 403, 404, 409)
  cancelStudioJob(
    @CurrentPrincipal() principal: Principal,
    @Param() { jobId }: StudioJobParamsDto,
  ): Promise<StudioJobDto> {
    return this.composition.cancelJob(principal.workspaceId, jobId);
  }
}
