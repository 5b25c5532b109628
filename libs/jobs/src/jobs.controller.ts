import { Controller, Get, MessageEvent, Param, Query, Sse, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { ApiErrors, Authenticated, CurrentPrincipal, IdParamDto, Principal, Public } from '@crescendo/platform';
import { JobFileParamsDto, JobFileQueryDto, JobResponseDto } from './jobs.dto';
import { JobProgressStream } from './job-progress.stream';
import { JobTrackerService } from './job-tracker.service';

@ApiTags('jobs')
@Controller('jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobTrackerService,
    private readonly progress: JobProgressStream,
  ) {}

  @Get(':id')
  @Authenticated()
  @ApiOperation({
    summary: 'Status (PENDING, PROCESSING, COMPLETED, FAILED), progress 0–100, output and files of a job',
  })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiErrors(400, 401, 404)
  getJob(@CurrentPrincipal() principal: Principal, @Param() { id }: IdParamDto): Promise<JobResponseDto> {
    return this.jobs.get(principal.workspaceId, id);
  }

  @Sse(':id/events')
  @Authenticated()
  @ApiOperation({
    summary: 'Live progress of a job as server-sent events',
    description:
      'Each `progress` event carries the job as GET /api/jobs/:id answers it, sent when it changes; the stream ' +
      'ends with a `completed`, `failed` or `cancelled` event.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream of job snapshots', schema: { type: 'string' } })
  @ApiErrors(400, 401, 404)
  async followJob(
    @CurrentPrincipal() principal: Principal,
    @Param() { id }: IdParamDto,
  ): Promise<Observable<MessageEvent>> {
    await this.jobs.find(principal.workspaceId, id);
    return this.progress.follow(principal.workspaceId, id);
  }

  @Get(':id/files/:name')
  @Public()
  @ApiOperation({
    summary: 'Download a file a job produced (report, export) through the signed link the job gives',
    description: '403 DOWNLOAD_LINK_INVALID for a bad signature, 410 DOWNLOAD_LINK_EXPIRED past its expiry.',
  })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string', format: 'binary' } })
  @ApiErrors(400, 403, 404, 410)
  async downloadJobFile(@Param() params: JobFileParamsDto, @Query() query: JobFileQueryDto): Promise<StreamableFile> {
    const { file, stream } = await this.jobs.resolveDownload(params.id, params.name, query.expires, query.signature);
    return new StreamableFile(stream, {
      type: file.contentType,
      length: file.size,
      disposition: `attachment; filename="${file.name}"`,
    });
  }
}
